//! Entry point of the browser app. It only mounts the UI; everything else lives in the
//! library so native tests can exercise it.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(solidcrypt::app::App);
}
