//! The browser driver of [`Live`]: a `web_sys::WebSocket`, one `setTimeout`
//! and the page's `visibilitychange`, doing what the machine says. The UI gets
//! one callback, `on_change(Some(event))` for an announced change and
//! `on_change(None)` for "re-read, something may have changed" (a poll that
//! saw a new ETag, a socket that came back): it cannot tell notifications from
//! polling, and need not.
//!
//! Dropping the [`Watch`] stops everything: the socket is closed and every
//! callback unhooked before its closure is freed (a JS callback into a freed
//! closure would throw).

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use url::Url;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{MessageEvent, WebSocket};

use super::machine::{Action, Input, Live, Refusal, Timing};
use super::subscribe::Polled;
use super::{parse_activity, Event};
use crate::pod::browser::BrowserHttp;
use crate::pod::http::Signer;
use crate::pod::Pod;

/// What the UI is told (see the module).
pub type OnChange = Rc<dyn Fn(Option<Event>)>;

/// Watches one topic until dropped.
pub struct Watch {
    driver: Rc<RefCell<Driver>>,
}

/// The socket and its three callbacks, dropped together.
struct Open {
    socket: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_close: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

struct Driver {
    live: Live,
    topic: Url,
    signer: Rc<dyn Signer>,
    on_change: OnChange,
    socket: Option<Open>,
    timer: Option<i32>,
    on_timer: Option<Closure<dyn FnMut()>>,
    on_visibility: Option<Closure<dyn FnMut()>>,
    stopped: bool,
}

fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

impl Watch {
    /// Starts watching `topic` as `signer` (subscribing needs Read on it).
    pub fn start(topic: Url, signer: Rc<dyn Signer>, on_change: OnChange) -> Watch {
        let seed = (js_sys::Math::random() * u64::MAX as f64) as u64;
        let (live, first) = Live::start(Timing::APP, now(), seed);
        let driver = Rc::new(RefCell::new(Driver {
            live,
            topic,
            signer,
            on_change,
            socket: None,
            timer: None,
            on_timer: None,
            on_visibility: None,
            stopped: false,
        }));
        let weak = Rc::downgrade(&driver);
        let on_timer = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || {
                if let Some(driver) = weak.upgrade() {
                    driver.borrow_mut().timer = None;
                    handle(&driver, vec![Input::Tick]);
                }
            }
        });
        let on_visibility = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || {
                if let Some(driver) = weak.upgrade() {
                    handle(&driver, vec![Input::Hidden(hidden())]);
                }
            }
        });
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                on_visibility.as_ref().unchecked_ref(),
            );
        }
        {
            let mut d = driver.borrow_mut();
            d.on_timer = Some(on_timer);
            d.on_visibility = Some(on_visibility);
        }
        let mut inputs = Vec::new();
        if hidden() {
            inputs.push(Input::Hidden(true));
        }
        run(&driver, first, inputs);
        Watch { driver }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut d = self.driver.borrow_mut();
        d.stopped = true;
        d.close_socket();
        if let (Some(id), Some(window)) = (d.timer.take(), web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
        let on_visibility = d.on_visibility.take();
        if let (Some(on_visibility), Some(document)) = (
            on_visibility.as_ref(),
            web_sys::window().and_then(|w| w.document()),
        ) {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                on_visibility.as_ref().unchecked_ref(),
            );
        }
        // As for the socket: the watch may be dropped from inside the timer's
        // callback, so its closure is freed on the next turn.
        let on_timer = d.on_timer.take();
        spawn_local(async move { drop((on_timer, on_visibility)) });
    }
}

impl Driver {
    /// Unhooks and closes the socket. Its closures are freed on the next turn,
    /// not now: this may run inside one of them (a close, or the UI dropping the
    /// watch from a message's callback).
    fn close_socket(&mut self) {
        if let Some(open) = self.socket.take() {
            open.socket.set_onopen(None);
            open.socket.set_onclose(None);
            open.socket.set_onerror(None);
            open.socket.set_onmessage(None);
            let _ = open.socket.close();
            spawn_local(async move { drop(open) });
        }
    }
}

fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

/// Feeds `inputs` to the machine, does its actions (which may bring more
/// inputs), re-arms the timer, then tells the UI — last, with no borrow held,
/// since the UI may drop the watch from its callback.
fn handle(driver: &Rc<RefCell<Driver>>, inputs: Vec<Input>) {
    run(driver, Vec::new(), inputs)
}

fn run(driver: &Rc<RefCell<Driver>>, mut actions: Vec<Action>, mut inputs: Vec<Input>) {
    let mut changes = Vec::new();
    loop {
        if driver.borrow().stopped {
            return;
        }
        if let Some(input) = (!inputs.is_empty()).then(|| inputs.remove(0)) {
            let more = driver.borrow_mut().live.on(now(), input);
            actions.extend(more);
            continue;
        }
        let Some(action) = (!actions.is_empty()).then(|| actions.remove(0)) else {
            break;
        };
        match action {
            Action::Subscribe => subscribe(driver),
            Action::Connect(url) => {
                if !connect(driver, &url) {
                    inputs.push(Input::Closed);
                }
            }
            Action::Poll(etag) => poll(driver, etag),
            Action::Refresh => changes.push(None),
        }
    }
    rearm(driver);
    let on_change = driver.borrow().on_change.clone();
    for change in changes {
        on_change(change);
    }
}

fn rearm(driver: &Rc<RefCell<Driver>>) {
    let mut d = driver.borrow_mut();
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(id) = d.timer.take() {
        window.clear_timeout_with_handle(id);
    }
    let (Some(at), Some(callback)) = (d.live.next_wake(), d.on_timer.as_ref()) else {
        return;
    };
    let delay = at.saturating_sub(now()).min(i32::MAX as u64) as i32;
    d.timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.as_ref().unchecked_ref(),
            delay,
        )
        .ok();
}

fn subscribe(driver: &Rc<RefCell<Driver>>) {
    let (topic, signer, weak) = {
        let d = driver.borrow();
        (d.topic.clone(), d.signer.clone(), Rc::downgrade(driver))
    };
    spawn_local(async move {
        let http = BrowserHttp;
        let pod = Pod::new(&http, Some(&*signer));
        let answer = pod.subscribe_websocket(&topic).await;
        let input = Input::Subscribed(answer.map(|c| c.receive_from).map_err(|e| {
            if e.is_final() {
                Refusal::Final
            } else {
                Refusal::ForNow
            }
        }));
        report(&weak, input);
    });
}

fn poll(driver: &Rc<RefCell<Driver>>, etag: Option<String>) {
    let (topic, signer, weak) = {
        let d = driver.borrow();
        (d.topic.clone(), d.signer.clone(), Rc::downgrade(driver))
    };
    spawn_local(async move {
        let http = BrowserHttp;
        let pod = Pod::new(&http, Some(&*signer));
        let changed = match pod.poll(&topic, etag.as_deref()).await {
            Ok(Polled::Changed(etag)) => Some(etag),
            // A failed poll is asked again at the next interval.
            Ok(Polled::Unchanged) | Err(_) => None,
        };
        report(&weak, Input::Polled(changed));
    });
}

fn report(weak: &Weak<RefCell<Driver>>, input: Input) {
    if let Some(driver) = weak.upgrade() {
        handle(&driver, vec![input]);
    }
}

/// Opens the socket; `false` if the browser refused the address at once.
fn connect(driver: &Rc<RefCell<Driver>>, url: &Url) -> bool {
    let Ok(socket) = WebSocket::new(url.as_str()) else {
        return false;
    };
    let weak = Rc::downgrade(driver);
    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || report(&weak, Input::Opened)
    });
    let on_close = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            if let Some(driver) = weak.upgrade() {
                driver.borrow_mut().close_socket();
                handle(&driver, vec![Input::Closed]);
            }
        }
    });
    let topic = driver.borrow().topic.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
        let Some(text) = message.data().as_string() else {
            return;
        };
        // Refused or unknown messages are dropped (see `activity`); nothing of
        // them is logged.
        if let Ok(Some(event)) = parse_activity(text.as_bytes(), &topic) {
            if let Some(driver) = weak.upgrade() {
                let on_change = driver.borrow().on_change.clone();
                if !driver.borrow().stopped {
                    on_change(Some(event));
                }
            }
        }
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    socket.set_onerror(Some(on_close.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let mut d = driver.borrow_mut();
    d.close_socket();
    d.socket = Some(Open {
        socket,
        _on_open: on_open,
        _on_close: on_close,
        _on_message: on_message,
    });
    true
}
