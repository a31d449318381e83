// Starts the app: loads the wasm-bindgen glue and the wasm that Trunk names in the
// <script data-solidcrypt-js data-solidcrypt-wasm> tag (Trunk.toml's
// pattern_script). It replaces Trunk's inline loader, so the Content-Security-Policy
// (index.html) needs no 'unsafe-inline' and no hash that changes with every build:
// script-src 'self' covers this file.
const tag = document.querySelector('script[data-solidcrypt-js]');
const { default: init } = await import(tag.dataset.solidcryptJs);
const wasm = await init({ module_or_path: tag.dataset.solidcryptWasm });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
