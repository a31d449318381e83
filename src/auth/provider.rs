//! Turning what the user picked or typed on the login screen into a login target.
//!
//! A user may know their provider ("issuer") or only their WebID; both are URLs, and
//! which one it is decides whether we first read a profile to find the issuer.

use url::Url;

/// The pod that `scripts/run` starts beside the app. Overridable at build time so a
/// pod on another port still gets preselected.
pub const LOCAL_POD: &str = match option_env!("SOLIDCRYPT_LOCAL_POD") {
    Some(url) => url,
    None => "http://localhost:3000/",
};

/// A provider offered on the login screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// Name shown to the user.
    pub label: &'static str,
    /// OpenID issuer URL.
    pub issuer: &'static str,
}

/// The providers offered as one-click choices; the local pod comes first because it
/// is the default a newcomer gets from `scripts/run`.
pub fn known_providers() -> [Provider; 3] {
    [
        Provider {
            label: "Local pod",
            issuer: LOCAL_POD,
        },
        Provider {
            label: "solidcommunity.net",
            issuer: "https://solidcommunity.net/",
        },
        Provider {
            label: "Inrupt PodSpaces",
            issuer: "https://login.inrupt.com/",
        },
    ]
}

/// Where a login starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginTarget {
    /// An OpenID issuer, used directly.
    Issuer(Url),
    /// A WebID; its profile names the issuer (`solid:oidcIssuer`).
    WebId(Url),
}

impl LoginTarget {
    /// The URL the login starts from.
    pub fn url(&self) -> &Url {
        match self {
            LoginTarget::Issuer(url) | LoginTarget::WebId(url) => url,
        }
    }
}

/// Why typed text is not a usable issuer or WebID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    #[error("enter the address of your Solid provider or your WebID")]
    Empty,
    #[error("“{0}” is not a web address")]
    NotAUrl(String),
    #[error("use https:// (plain http:// is only allowed for localhost)")]
    Insecure,
}

/// Parses what the user typed. A URL with a fragment (`…/card#me`) is a WebID; any
/// other URL is taken as an issuer. A bare host name gets `https://` added, since
/// people type `solidcommunity.net`, not a full URL.
pub fn parse_target(input: &str) -> Result<LoginTarget, TargetError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(TargetError::Empty);
    }
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    let url = Url::parse(&with_scheme).map_err(|_| TargetError::NotAUrl(text.to_owned()))?;
    if url.host_str().is_none_or(str::is_empty) {
        return Err(TargetError::NotAUrl(text.to_owned()));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_secure(&url) => {}
        "http" => return Err(TargetError::Insecure),
        _ => return Err(TargetError::NotAUrl(text.to_owned())),
    }
    Ok(if url.fragment().is_some() {
        LoginTarget::WebId(url)
    } else {
        LoginTarget::Issuer(url)
    })
}

/// Whether `url` may carry a login: `https:`, or `http:` to this machine only
/// (the local pod of `scripts/run`). Anything else (`http:` elsewhere,
/// `javascript:`, `data:`) is not.
pub(crate) fn is_secure(url: &Url) -> bool {
    match url.scheme() {
        "https" => url.host_str().is_some_and(|h| !h.is_empty()),
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_pod_is_first_and_parses_as_issuer() {
        let first = &known_providers()[0];
        assert_eq!(first.label, "Local pod");
        let target = parse_target(first.issuer).unwrap();
        assert!(matches!(target, LoginTarget::Issuer(_)));
    }

    #[test]
    fn every_known_provider_is_a_valid_issuer() {
        for provider in known_providers() {
            assert!(
                matches!(parse_target(provider.issuer), Ok(LoginTarget::Issuer(_))),
                "{provider:?}"
            );
        }
    }

    #[test]
    fn url_with_fragment_is_a_webid() {
        let target = parse_target("http://localhost:3000/alice/profile/card#me").unwrap();
        assert_eq!(
            target,
            LoginTarget::WebId(Url::parse("http://localhost:3000/alice/profile/card#me").unwrap())
        );
    }

    #[test]
    fn bare_host_gets_https() {
        let target = parse_target("  solidcommunity.net ").unwrap();
        assert_eq!(target.url().as_str(), "https://solidcommunity.net/");
    }

    #[test]
    fn rejects_empty_garbage_and_plain_http() {
        assert_eq!(parse_target("   "), Err(TargetError::Empty));
        assert!(matches!(
            parse_target("https://"),
            Err(TargetError::NotAUrl(_))
        ));
        assert!(matches!(
            parse_target("ftp://example.org/"),
            Err(TargetError::NotAUrl(_))
        ));
        assert_eq!(
            parse_target("http://pod.example.org/"),
            Err(TargetError::Insecure)
        );
    }
}
