//! The browser half of the login: keeping state in `sessionStorage` across the
//! redirect to the provider and across reloads, and navigating.
//!
//! `sessionStorage` is per tab and never sent to any server, so tokens never appear
//! in a URL. It holds the DPoP private key too (as a JWK); anything that can run
//! script in this origin could read it, which is the same exposure as the tokens.

use url::Url;
use web_sys::Storage;

use super::client_id::document_url;
use super::end_session::EndSessionError;
use super::oidc::{
    finish_callback, start_login, CallbackError, CallbackParams, LoginError, PendingLogin,
};
use super::provider::LoginTarget;
use super::session::Session;
use crate::pod::browser::BrowserHttp;

/// Where the provider sends the browser back to (a route of the app).
pub const CALLBACK_PATH: &str = "/callback";

const PENDING_KEY: &str = "solidcrypt.pending-login";
const SESSION_KEY: &str = "solidcrypt.session";
/// A share link opened before logging in, kept across the login redirect.
const SHARE_LINK_KEY: &str = "solidcrypt.share-link";

/// Starting a browser login failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BeginError {
    #[error(transparent)]
    Login(#[from] LoginError),
    #[error("this browser does not let the app keep the login in progress: {0}")]
    Storage(String),
}

/// Completing a browser login failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FinishError {
    #[error(transparent)]
    Callback(#[from] CallbackError),
    #[error("this browser does not let the app keep the session: {0}")]
    Storage(String),
}

/// Registers with the provider, remembers the pending login, and leaves the app for
/// the provider's login page.
pub async fn begin_login(target: &LoginTarget) -> Result<(), BeginError> {
    let window = web_sys::window().ok_or_else(|| BeginError::Storage("no window".into()))?;
    let origin = window
        .location()
        .origin()
        .map_err(|_| BeginError::Storage("no origin".into()))?;
    let redirect_uri = format!("{origin}{CALLBACK_PATH}");
    let document = Url::parse(&format!("{origin}/"))
        .ok()
        .and_then(|app| document_url(&app));
    let (authorize, pending) =
        start_login(&BrowserHttp, target, &redirect_uri, document.as_ref()).await?;
    let json = serde_json::to_string(&pending).map_err(|e| BeginError::Storage(e.to_string()))?;
    storage()
        .and_then(|s| s.set_item(PENDING_KEY, &json).ok())
        .ok_or_else(|| BeginError::Storage("sessionStorage is unavailable".into()))?;
    window
        .location()
        .assign(authorize.as_str())
        .map_err(|_| BeginError::Storage("cannot open the login page".into()))
}

/// Completes the login from the callback URL's query string, and keeps the session.
/// The pending login is consumed once the callback's `state` matched it (so a
/// replayed callback fails); a callback with another `state` leaves it in place.
pub async fn finish_login(query: &str) -> Result<Session, FinishError> {
    let pending: Option<PendingLogin> = storage()
        .and_then(|s| s.get_item(PENDING_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok());
    let consume = || {
        if let Some(storage) = storage() {
            // Removing can only fail if storage is unavailable, and then nothing is kept.
            let _ = storage.remove_item(PENDING_KEY);
        }
    };
    let params = CallbackParams::from_query(query);
    let session = finish_callback(&BrowserHttp, pending.as_ref(), &params, consume).await?;
    save_session(&session).map_err(FinishError::Storage)?;
    Ok(session)
}

/// The session kept in this tab, renewed if its access token expired. `None` if
/// there is none or it can no longer be renewed (then the user logs in again).
pub async fn restore_session() -> Option<Session> {
    let json = storage()?.get_item(SESSION_KEY).ok()??;
    let session: Session = serde_json::from_str(&json).ok()?;
    if !session.is_expired() {
        return Some(session);
    }
    match session.refresh(&BrowserHttp).await {
        Ok(renewed) => {
            save_session(&renewed).ok()?;
            Some(renewed)
        }
        Err(_) => {
            logout();
            None
        }
    }
}

/// Forgets the session in this tab. (The provider may still remember the user, so
/// the next login can be a single click.)
pub fn logout() {
    if let Some(storage) = storage() {
        // Removing can only fail if storage is unavailable, and then nothing is kept.
        let _ = storage.remove_item(SESSION_KEY);
        let _ = storage.remove_item(PENDING_KEY);
        let _ = storage.remove_item(SHARE_LINK_KEY);
    }
}

/// Logging out of the provider too failed; nothing was done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndSessionFailed {
    #[error("your pod's provider does not offer to log out from an app")]
    NotOffered,
    #[error(transparent)]
    Request(#[from] EndSessionError),
    #[error("this browser could not open the provider's logout page")]
    Navigation,
}

/// Sends the browser to the provider's logout page (see `end_session`), which
/// asks the user to confirm and returns to the app's start page, and forgets the
/// session in this tab ([`logout`]) as it leaves. On an error nothing was done:
/// the user is still logged in here.
pub fn logout_of_provider(session: &Session) -> Result<(), EndSessionFailed> {
    let end = session.end_session().ok_or(EndSessionFailed::NotOffered)?;
    let window = web_sys::window().ok_or(EndSessionFailed::Navigation)?;
    let origin = window
        .location()
        .origin()
        .map_err(|_| EndSessionFailed::Navigation)?;
    let url = end.request(&format!("{origin}/"))?;
    window
        .location()
        .assign(url.as_str())
        .map_err(|_| EndSessionFailed::Navigation)?;
    // The navigation starts once this task is done, so the session is gone first.
    logout();
    Ok(())
}

/// Keeps a share link across the login redirect, so the app can open it once the
/// user is back. Its fragment holds a key, so it goes only to `sessionStorage`
/// (this tab, never sent anywhere): not into the login request's `state` or
/// redirect address, which the provider sees and may log.
pub fn keep_share_link(link: &str) -> Result<(), String> {
    storage()
        .and_then(|s| s.set_item(SHARE_LINK_KEY, link).ok())
        .ok_or_else(|| "sessionStorage is unavailable".to_owned())
}

/// Whether a share link waits to be opened (the callback then returns to it).
pub fn has_share_link() -> bool {
    storage().is_some_and(|s| s.get_item(SHARE_LINK_KEY).ok().flatten().is_some())
}

/// The kept share link, removed from storage: it is used once.
pub fn take_share_link() -> Option<zeroize::Zeroizing<String>> {
    take(SHARE_LINK_KEY).map(zeroize::Zeroizing::new)
}

fn save_session(session: &Session) -> Result<(), String> {
    let json = serde_json::to_string(session).map_err(|e| e.to_string())?;
    storage()
        .and_then(|s| s.set_item(SESSION_KEY, &json).ok())
        .ok_or_else(|| "sessionStorage is unavailable".to_owned())
}

fn take(key: &str) -> Option<String> {
    let storage = storage()?;
    let value = storage.get_item(key).ok()?;
    let _ = storage.remove_item(key);
    value
}

fn storage() -> Option<Storage> {
    web_sys::window()?.session_storage().ok()?
}
