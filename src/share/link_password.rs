//! Password-protected share links (docs/FORMAT.md §5.4): the link carries its
//! keystore's key wrapped under a password (the Argon2id wrap of FORMAT.md §2,
//! field `pw`) instead of the key itself (`kskey`), and the password is told
//! through another channel. Whoever finds the link alone (a chat backup, a shoulder
//! surfer, a QR code photographed) holds nothing that opens the file.
//!
//! A link is hostile input, and its wrap names its own Argon2id cost: the reader
//! checks that cost against [`LINK_MAX_PARAMS`] when it *parses* the link, before
//! the recipient types anything, so a link asking for gigabytes or minutes of work
//! is refused as altered instead of freezing the tab. Unlocking only derives keys
//! in the browser: nothing reaches the pod before the password is right.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use url::Url;
use zeroize::Zeroizing;

use super::link::{write_link, Access, LinkError, ShareLink, Shared};
use crate::crypto::password::{
    now, unwrap_key_using, wrap_key_using, Inline, PasswordParams, PasswordWrap, Stretch,
    UnwrapError, WrapError, WRAPPED_LEN,
};
use crate::crypto::SecretKey;

/// The most Argon2id work a link may ask of the recipient's tab: 256 MiB, 8
/// passes, 4 lanes — twice what a writer uses ([`PasswordParams::default`]: 128
/// MiB, 4 passes, 1 lane, about 0.6 s), well under the master password's own limits
/// (1 GiB, 64 passes), which a stranger's link must not get to spend.
pub const LINK_MAX_PARAMS: PasswordParams = PasswordParams {
    m_cost_kib: 256 * 1024,
    t_cost: 8,
    p_cost: 4,
};

/// A password link as parsed: everything but the keystore's key, which waits in
/// its password wrap until [`LockedLink::unlock_using`].
#[derive(Debug, Clone)]
pub struct LockedLink {
    /// Whether it shares a folder (else one file, keystore form).
    pub folder: bool,
    pub access: Access,
    /// The shared file or folder.
    pub url: Url,
    /// The group document, as in [`ShareLink::group`].
    pub group: Url,
    /// The link's keystore (FORMAT.md §5.1).
    pub keystore: Url,
    /// The keystore's key under the password; its parameters passed
    /// [`LINK_MAX_PARAMS`].
    pub wrap: PasswordWrap,
}

/// Why a password link could not be locked (made).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    #[error("a link with the file key in it cannot be protected by a password")]
    KeyInLink,
    #[error("the link's password must not be empty")]
    EmptyPassword,
    #[error(transparent)]
    Wrap(#[from] WrapError),
}

/// Why a password link did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnlockError {
    #[error("wrong password for this link")]
    WrongPassword,
    /// The password matched, but the wrapped key did not open: the link was
    /// damaged or altered after it was made.
    #[error("the link's key is damaged; ask for the link again")]
    Damaged,
}

/// A share link as read: ready to use, or waiting for its password.
#[derive(Debug, Clone)]
pub enum ParsedLink {
    Open(ShareLink),
    Locked(LockedLink),
}

impl ParsedLink {
    /// Parses any link the app accepts ([`ShareLink::parse`] refuses a password
    /// link with [`LinkError::NeedsPassword`]).
    pub fn parse(link: &str) -> Result<ParsedLink, LinkError> {
        super::link::parse_any(link)
    }
}

impl LockedLink {
    /// Wraps `link`'s keystore key under `password` (Argon2id run by `stretch`)
    /// with `params`, which must be within [`LINK_MAX_PARAMS`].
    pub async fn lock_using(
        stretch: &impl Stretch,
        link: &ShareLink,
        password: &str,
        params: &PasswordParams,
    ) -> Result<LockedLink, LockError> {
        let Some((_, key)) = link.shared.keystore() else {
            return Err(LockError::KeyInLink);
        };
        if password.is_empty() {
            return Err(LockError::EmptyPassword);
        }
        if !within_link_limits(params) {
            return Err(LockError::Wrap(WrapError::Params(
                "over what readers of a link accept",
            )));
        }
        let bytes = Zeroizing::new(wrap_key_using(stretch, password, key, params).await?);
        let wrap = PasswordWrap::parse(bytes.as_ref()).expect("a fresh wrap parses");
        Ok(Self::locking(link, wrap).expect("the link has a keystore"))
    }

    /// `link` with `wrap` in place of its keystore's key (`None` for a key-in-link
    /// link). Whether `wrap` holds that key is not checked: only its password can.
    pub(super) fn locking(link: &ShareLink, wrap: PasswordWrap) -> Option<LockedLink> {
        let (keystore, _) = link.shared.keystore()?;
        Some(LockedLink {
            folder: matches!(link.shared, Shared::Folder { .. }),
            access: link.access,
            url: link.shared.url().clone(),
            group: link.group.clone(),
            keystore: keystore.clone(),
            wrap,
        })
    }

    /// The link under the app at `app`: `<app>/share#…&ks=<url>&pw=<wrap>`.
    pub fn to_url(&self, app: &Url) -> Zeroizing<String> {
        let kind = if self.folder { "folder" } else { "file" };
        let pw = self.wrap_text();
        write_link(
            app,
            kind,
            self.access,
            &self.url,
            &self.group,
            &[("ks", self.keystore.as_str()), ("pw", &pw)],
        )
    }

    /// The wrap as the link's `pw` field: base64url without padding, 168 characters.
    pub fn wrap_text(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.wrap.to_bytes())
    }

    /// [`LockedLink::unlock_using`] with Argon2id on this thread (native code, tests).
    pub fn unlock(&self, password: &str) -> Result<ShareLink, UnlockError> {
        now(self.unlock_using(&Inline, password))
    }

    /// The link with its key, if `password` is the one it was locked with.
    /// Nothing but Argon2id (run by `stretch`) and AES-GCM: no request is made.
    pub async fn unlock_using(
        &self,
        stretch: &impl Stretch,
        password: &str,
    ) -> Result<ShareLink, UnlockError> {
        let keystore_key = unwrap_key_using(stretch, password, &self.wrap.to_bytes())
            .await
            .map_err(|e| match e {
                UnwrapError::WrongPassword => UnlockError::WrongPassword,
                _ => UnlockError::Damaged,
            })?;
        Ok(self.with_key(keystore_key))
    }

    /// The unlocked link, with `keystore_key`.
    fn with_key(&self, keystore_key: SecretKey) -> ShareLink {
        let (url, keystore) = (self.url.clone(), self.keystore.clone());
        let shared = if self.folder {
            Shared::Folder {
                url,
                keystore,
                keystore_key,
            }
        } else {
            Shared::File {
                url,
                keystore,
                keystore_key,
            }
        };
        ShareLink {
            shared,
            access: self.access,
            group: self.group.clone(),
        }
    }
}

/// Whether Argon2id with `params` is work a link may ask for.
fn within_link_limits(params: &PasswordParams) -> bool {
    params.m_cost_kib <= LINK_MAX_PARAMS.m_cost_kib
        && params.t_cost <= LINK_MAX_PARAMS.t_cost
        && params.p_cost <= LINK_MAX_PARAMS.p_cost
}

/// The `pw` field of a link: a well-formed wrap (FORMAT.md §2) whose cost is
/// within [`LINK_MAX_PARAMS`]. Only parses: no Argon2id runs here.
pub(super) fn read_wrap(text: &str) -> Result<PasswordWrap, LinkError> {
    // Anything longer than the wrap's 168 characters is refused before decoding.
    let mut bytes = Zeroizing::new([0u8; WRAPPED_LEN + 3]);
    let len = URL_SAFE_NO_PAD
        .decode_slice(text.as_bytes(), bytes.as_mut())
        .map_err(|_| LinkError::BadPasswordWrap("not base64url of 126 bytes"))?;
    let wrap = PasswordWrap::parse(&bytes[..len]).map_err(|e| {
        LinkError::BadPasswordWrap(match e {
            UnwrapError::BadMagic => "not a password wrap",
            UnwrapError::UnsupportedVersion(_) => "made by a newer version",
            UnwrapError::InvalidHeader(why) => why,
            UnwrapError::Truncated => "too short",
            UnwrapError::TrailingData => "too long",
            _ => "damaged",
        })
    })?;
    if !within_link_limits(&wrap.params) {
        return Err(LinkError::PasswordTooCostly);
    }
    Ok(wrap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::password::now;

    const GROUP: &str =
        "https://alice.example/solidcrypt-data/groups/group-0123456789abcdef0123456789abcdef.ttl";
    const FAST: PasswordParams = PasswordParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    fn folder_link() -> ShareLink {
        ShareLink {
            shared: Shared::Folder {
                url: Url::parse("https://alice.example/solidcrypt-data/files/41be/").unwrap(),
                keystore: Url::parse(
                    "https://alice.example/solidcrypt-data/keystores/shared-5f0c.json.enc",
                )
                .unwrap(),
                keystore_key: SecretKey::from_bytes([0x22; 32]),
            },
            access: Access::ReadWrite,
            group: Url::parse(GROUP).unwrap(),
        }
    }

    #[test]
    fn locked_link_round_trips_and_opens_with_its_password_only() {
        let app = Url::parse("https://app.example/").unwrap();
        let locked = now(LockedLink::lock_using(
            &Inline,
            &folder_link(),
            "tulip",
            &FAST,
        ))
        .unwrap();
        let text = locked.to_url(&app);
        assert!(text.contains("&ks=") && text.contains("&pw="), "{}", *text);
        assert!(!text.contains("kskey"), "no plain key: {}", *text);
        let key = SecretKey::from_bytes([0x22; 32]).to_base64url();
        assert!(!text.contains(key.as_str()));
        assert_eq!(
            ShareLink::parse(&text).unwrap_err(),
            LinkError::NeedsPassword
        );
        let ParsedLink::Locked(back) = ParsedLink::parse(&text).unwrap() else {
            panic!("a password link parses as locked")
        };
        assert_eq!(back.to_url(&app), text);
        assert_eq!(
            now(back.unlock_using(&Inline, "tulips")).unwrap_err(),
            UnlockError::WrongPassword
        );
        let open = now(back.unlock_using(&Inline, "tulip")).unwrap();
        assert_eq!(
            open.shared.keystore().unwrap().1.expose_bytes(),
            &[0x22; 32]
        );
        assert_eq!(open.to_url(&app), folder_link().to_url(&app));
    }

    #[test]
    fn key_in_link_and_empty_passwords_are_not_locked() {
        let mut link = folder_link();
        link.shared = Shared::FileKey {
            url: Url::parse("https://alice.example/f").unwrap(),
            key: SecretKey::from_bytes([1; 32]),
        };
        let locked = now(LockedLink::lock_using(&Inline, &link, "x", &FAST));
        assert_eq!(locked.unwrap_err(), LockError::KeyInLink);
        let locked = now(LockedLink::lock_using(&Inline, &folder_link(), "", &FAST));
        assert_eq!(locked.unwrap_err(), LockError::EmptyPassword);
        let costly = PasswordParams {
            t_cost: 9,
            ..PasswordParams::default()
        };
        let locked = now(LockedLink::lock_using(
            &Inline,
            &folder_link(),
            "x",
            &costly,
        ));
        assert!(matches!(locked.unwrap_err(), LockError::Wrap(_)));
    }
}
