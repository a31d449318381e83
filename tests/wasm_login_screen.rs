//! The login screen, mounted in a real browser: the local pod is preselected and the
//! Rust validation reaches the page.
#![cfg(target_arch = "wasm32")]

use solidcrypt::app::LoginScreen;
use solidcrypt::auth::provider::LOCAL_POD;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlButtonElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the screen into a fresh element attached to the page (Leptos delegates
/// events to the document, so it must be attached).
fn mount() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone().unchecked_into(), LoginScreen).forget();
    host
}

/// Lets queued reactive effects run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn input(host: &Element, selector: &str) -> HtmlInputElement {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn status_text(host: &Element) -> String {
    host.query_selector("[role=status]")
        .unwrap()
        .expect("a status line")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn local_pod_is_preselected() {
    let host = mount();
    settle().await;
    let first = input(&host, "input[type=radio]");
    assert_eq!(first.value(), LOCAL_POD);
    assert!(first.checked(), "the local pod radio is checked");
    assert_eq!(status_text(&host), "Not connected.");
}

#[wasm_bindgen_test]
async fn typed_garbage_gets_a_clear_message() {
    let host = mount();
    let field = input(&host, "input[type=text]");
    field.set_value("not a pod");
    let init = EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    settle().await;
    assert!(input(&host, "input[value=custom]").checked());
    let button: HtmlButtonElement = host
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    settle().await;
    assert_eq!(
        status_text(&host),
        "Cannot log in: “not a pod” is not a web address."
    );
}
