#![cfg(target_arch = "wasm32")]
//! Browser tests of Argon2id in a Web Worker (crypto::password_worker), page side:
//! a worker that cannot start or answers wrongly is reported by `run` and never
//! trusted, and the `Stretch` then gives Argon2id's result inline, so unlocking
//! works (and a wrong password is still refused) either way. The real worker
//! (`kdf_worker`, built by Trunk) is exercised by the e2e tests, which also
//! check the tab's wasm memory after unlock.

use solidcrypt::crypto::password::{
    argon2id, unwrap_key_using, wrap_key, PasswordParams, Stretch, UnwrapError,
};
use solidcrypt::crypto::password_worker::{InWorker, WorkerError};
use solidcrypt::crypto::SecretKey;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const PARAMS: PasswordParams = PasswordParams {
    m_cost_kib: 1024,
    t_cost: 1,
    p_cost: 1,
};
const SALT: [u8; 16] = [9; 16];

/// A classic worker from a `data:` URL that says ready, then answers every job with
/// `answer` (a JavaScript expression).
fn stub_worker(answer: &str) -> InWorker {
    InWorker::at(format!(
        "data:text/javascript,onmessage=()=>postMessage({answer});postMessage('ready')"
    ))
}

#[wasm_bindgen_test]
async fn a_missing_worker_falls_back_to_inline() {
    let missing = InWorker::at("/no-such-kdf-worker.js");
    assert!(matches!(
        missing.run(b"pw", &SALT, &PARAMS).await,
        Err(WorkerError::Failed(_))
    ));
    assert_eq!(
        *missing.stretch(b"pw", &SALT, &PARAMS).await,
        *argon2id(b"pw", &SALT, &PARAMS).unwrap()
    );

    let key = SecretKey::generate().unwrap();
    let wrapped = wrap_key("right password", &key, &PARAMS).unwrap();
    let back = unwrap_key_using(&missing, "right password", &wrapped)
        .await
        .unwrap();
    assert_eq!(back.expose_bytes(), key.expose_bytes());
    assert_eq!(
        unwrap_key_using(&missing, "wrong password", &wrapped)
            .await
            .unwrap_err(),
        UnwrapError::WrongPassword
    );
}

#[wasm_bindgen_test]
async fn a_worker_answering_wrongly_is_not_trusted() {
    let short = stub_worker("new Uint8Array(5)");
    assert_eq!(
        short.run(b"pw", &SALT, &PARAMS).await.unwrap_err(),
        WorkerError::WrongLength(5)
    );
    let refusing = stub_worker("{error:'no memory'}");
    assert_eq!(
        refusing.run(b"pw", &SALT, &PARAMS).await.unwrap_err(),
        WorkerError::Failed("no memory".into())
    );
    // What kdf_worker_loader.js answers when the wasm does not load or start.
    let unstarted =
        InWorker::at("data:text/javascript,postMessage({error:'the worker could not start'})");
    assert_eq!(
        unstarted.run(b"pw", &SALT, &PARAMS).await.unwrap_err(),
        WorkerError::Failed("the worker could not start".into())
    );
    let throwing = InWorker::at("data:text/javascript,throw new Error('broken')");
    assert!(matches!(
        throwing.run(b"pw", &SALT, &PARAMS).await,
        Err(WorkerError::Failed(_))
    ));

    // 32 bytes of zeros are not Argon2id's output: accepted from the worker (it is
    // trusted code), they unlock nothing — which shows the worker's answer is used.
    let zeros = stub_worker("new Uint8Array(32)");
    assert_eq!(*zeros.run(b"pw", &SALT, &PARAMS).await.unwrap(), [0; 32]);
    let wrapped = wrap_key("pw", &SecretKey::generate().unwrap(), &PARAMS).unwrap();
    assert_eq!(
        unwrap_key_using(&zeros, "pw", &wrapped).await.unwrap_err(),
        UnwrapError::WrongPassword
    );
    for worker in [short, refusing, unstarted, throwing] {
        assert_eq!(
            *worker.stretch(b"pw", &SALT, &PARAMS).await,
            *argon2id(b"pw", &SALT, &PARAMS).unwrap()
        );
    }
}
