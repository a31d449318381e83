// Starts the kdf_worker Web Worker (src/bin/kdf_worker.rs, crypto::password_worker):
// loads the wasm-bindgen glue and the wasm next to this file. Unlike Trunk's generated
// loader shim, a wasm that fails to load or start is reported to the page as an
// answer, so the app runs Argon2id inline at once instead of waiting for a "ready"
// that never comes (a rejected promise in a worker does not reach the page).
importScripts('./kdf_worker.js');
wasm_bindgen({ module_or_path: './kdf_worker_bg.wasm' }).catch((error) => {
  postMessage({ error: `the worker could not start: ${error}` });
});
