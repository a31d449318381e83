//! Argon2id in a dedicated Web Worker, both ends of it.
//!
//! Why: Argon2id grows whatever wasm memory it runs in by its m (128 MiB by
//! default), and wasm memory never shrinks. Run in the app's own memory, that stayed
//! with the tab for the whole session; run in a worker that is terminated right after,
//! it is given back to the system, and the page stays responsive meanwhile.
//!
//! The worker is the `kdf_worker` binary (`src/bin/kdf_worker.rs`, which only calls
//! [`serve`]), built by Trunk next to the app and started by
//! `src/bin/kdf_worker_loader.js`. One worker per derivation: it says `"ready"` once
//! its wasm is running (a message sent before that would be lost), gets
//! `{password, salt, m, t, p}` (the password's buffer is transferred, not copied),
//! and answers the 32-byte output or `{error}` (also sent by the loader if the wasm
//! does not start). Nothing is
//! logged on either side. If the worker cannot be started or fails, [`InWorker`]
//! runs Argon2id inline instead: same result, only the memory stays.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::{wasm_bindgen, Closure};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

use super::key::KEY_LEN;
use super::password::{argon2id, Inline, PasswordParams, Stretch, SALT_LEN};

// The page side. `kdf_worker_url`: the loader Trunk copies to the top of the app
// (its public URL), found from this snippet's own URL (`snippets/<crate>/inline0.js`)
// so it holds under any public URL and on any route. `kdf_in_worker` settles once,
// terminates the worker on every path, and zeroes the password copy it was given if
// it never got to transfer it.
#[wasm_bindgen(inline_js = r#"
export function kdf_worker_url() {
  return new URL('../../kdf_worker_loader.js', import.meta.url).href;
}

export function kdf_in_worker(url, password, salt, m, t, p) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(url);
    } catch (e) {
      password.fill(0);
      reject(String(e));
      return;
    }
    const finish = (settle, value) => {
      worker.terminate();
      if (password.byteLength) password.fill(0);
      settle(value);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish(reject, 'the worker failed: ' + (event.message || 'it could not be loaded'));
    };
    worker.onmessageerror = () => finish(reject, 'the worker sent an unreadable message');
    worker.onmessage = (event) => {
      const data = event.data;
      if (data === 'ready') {
        try {
          worker.postMessage({ password, salt, m, t, p }, [password.buffer]);
        } catch (e) {
          finish(reject, String(e));
        }
      } else if (data instanceof Uint8Array) {
        finish(resolve, data);
      } else {
        finish(reject, String((data && data.error) || 'unexpected answer'));
      }
    };
  });
}
"#)]
extern "C" {
    fn kdf_worker_url() -> String;
    fn kdf_in_worker(
        url: &str,
        password: Uint8Array,
        salt: Uint8Array,
        m: u32,
        t: u32,
        p: u32,
    ) -> Promise;
}

/// Why the worker gave no output (then [`InWorker`] runs Argon2id inline).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WorkerError {
    /// It could not be started or loaded, crashed, or answered an error.
    #[error("Argon2id did not run in a Web Worker: {0}")]
    Failed(String),
    /// It answered something other than 32 bytes.
    #[error("the Argon2id worker answered {0} bytes, expected 32")]
    WrongLength(u32),
}

/// Runs Argon2id in a fresh Web Worker per call, falling back to [`Inline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InWorker {
    url: String,
}

impl Default for InWorker {
    /// The worker Trunk builds next to the app.
    fn default() -> Self {
        Self {
            url: kdf_worker_url(),
        }
    }
}

impl InWorker {
    /// A worker loaded from `url` (a script that calls [`serve`]).
    pub fn at(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }

    /// Argon2id in the worker only, with no fallback: tells the caller whether the
    /// worker did it.
    pub async fn run(
        &self,
        password: &[u8],
        salt: &[u8; SALT_LEN],
        params: &PasswordParams,
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, WorkerError> {
        let answer = JsFuture::from(kdf_in_worker(
            &self.url,
            Uint8Array::from(password),
            Uint8Array::from(&salt[..]),
            params.m_cost_kib,
            params.t_cost,
            params.p_cost,
        ))
        .await
        .map_err(|why| WorkerError::Failed(why.as_string().unwrap_or_default()))?;
        let answer: Uint8Array = answer.unchecked_into();
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        let len = answer.length();
        if len as usize == KEY_LEN {
            answer.copy_to(out.as_mut());
        }
        answer.fill(0, 0, len);
        if len as usize != KEY_LEN {
            return Err(WorkerError::WrongLength(len));
        }
        Ok(out)
    }
}

impl Stretch for InWorker {
    async fn stretch(
        &self,
        password: &[u8],
        salt: &[u8; SALT_LEN],
        params: &PasswordParams,
    ) -> Zeroizing<[u8; KEY_LEN]> {
        match self.run(password, salt, params).await {
            Ok(out) => out,
            Err(_) => Inline.stretch(password, salt, params).await,
        }
    }
}

// The worker side: its global scope and message events, typed just enough.
#[wasm_bindgen]
extern "C" {
    type WorkerScope;
    #[wasm_bindgen(method, js_name = postMessage)]
    fn post_message(this: &WorkerScope, message: &JsValue, transfer: &Array);
    #[wasm_bindgen(method, setter)]
    fn set_onmessage(this: &WorkerScope, handler: &Function);

    type MessageEvent;
    #[wasm_bindgen(method, getter)]
    fn data(this: &MessageEvent) -> JsValue;
}

/// The worker's main: answers each job with Argon2id's output or `{error}`.
pub fn serve() {
    let scope = || js_sys::global().unchecked_into::<WorkerScope>();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        match job(&event.data()) {
            Ok(out) => {
                let bytes = Uint8Array::from(&out[..]);
                scope().post_message(&bytes, &Array::of1(&bytes.buffer()));
            }
            Err(why) => {
                let error = Object::new();
                // Setting a property on a fresh plain object cannot fail.
                let _ = Reflect::set(&error, &"error".into(), &why.into());
                scope().post_message(&error, &Array::new());
            }
        }
    });
    scope().set_onmessage(on_message.as_ref().unchecked_ref());
    // The handler lives as long as the worker, which ends after one job.
    on_message.forget();
    scope().post_message(&"ready".into(), &Array::new());
}

/// One job: reads the message, wipes the password from it, runs Argon2id.
fn job(data: &JsValue) -> Result<Zeroizing<[u8; KEY_LEN]>, &'static str> {
    let field = |name: &str| Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let bytes = |name: &str| field(name).dyn_into::<Uint8Array>().ok();
    let number = |name: &str| {
        field(name)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
            .map(|n| n as u32)
    };
    let password_js = bytes("password").ok_or("no password")?;
    let password = Zeroizing::new(password_js.to_vec());
    password_js.fill(0, 0, password_js.length());
    let salt: [u8; SALT_LEN] = bytes("salt")
        .map(|salt| salt.to_vec())
        .and_then(|salt| salt.try_into().ok())
        .ok_or("the salt must be 16 bytes")?;
    let params = PasswordParams {
        m_cost_kib: number("m").ok_or("no memory cost")?,
        t_cost: number("t").ok_or("no iteration count")?,
        p_cost: number("p").ok_or("no lane count")?,
    };
    argon2id(&password, &salt, &params)
}
