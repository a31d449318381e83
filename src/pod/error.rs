//! Typed failures of pod operations: one enum per kind of operation, so a caller can
//! match on exactly what that operation can go wrong with (a 412 only matters to a
//! write, a parse failure only to something that reads RDF). Their messages reach
//! the user inside sentences ("Cannot download a.txt: …"), so they say what
//! happened and what the user can do, not HTTP status codes (the codes are in
//! the variants, and in the browser's network log).

use super::http::{Response, TransportError};

/// Reading a resource (GET/HEAD) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("your login has expired: log out and log in again")]
    Unauthorized,
    #[error("access denied: the pod does not let you see this (if it was shared with you, it may have been revoked)")]
    Forbidden,
    #[error("it is not on the pod (any more): it may have been moved or deleted")]
    NotFound,
    #[error("the pod had a problem answering: try again in a moment")]
    Server(u16),
    #[error("the pod gave an answer solidcrypt does not understand: try again later")]
    Unexpected(u16),
    /// More than solidcrypt reads for this kind of document (see each limit's doc).
    #[error("the pod's answer is larger than {} MiB, more than solidcrypt reads here; it may be damaged or hostile", .limit >> 20)]
    TooLarge { limit: usize },
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// Writing a resource (PUT/PATCH/DELETE/POST) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    #[error("your login has expired: log out and log in again")]
    Unauthorized,
    #[error("access denied: the pod does not let you change this (if it was shared with you, ask its owner for write access)")]
    Forbidden,
    #[error("it is not on the pod (any more): it may have been moved or deleted")]
    NotFound,
    /// 409: the write contradicts the pod's structure (e.g. a file where a folder is).
    #[error("the pod refused: something else is in the way there (a file where a folder should be, or the reverse)")]
    Rejected,
    /// 412: someone else changed (or created) the resource first; read again and retry.
    #[error("it was changed elsewhere meanwhile, or already exists: reload and try again")]
    Conflict,
    #[error("the pod had a problem answering: try again in a moment")]
    Server(u16),
    #[error("the pod gave an answer solidcrypt does not understand: try again later")]
    Unexpected(u16),
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// Keeps a 2xx response, turns anything else into a [`ReadError`].
pub(crate) fn check_read(response: Response) -> Result<Response, ReadError> {
    match response.status {
        200..=299 => Ok(response),
        401 => Err(ReadError::Unauthorized),
        403 => Err(ReadError::Forbidden),
        404 | 410 => Err(ReadError::NotFound),
        500..=599 => Err(ReadError::Server(response.status)),
        status => Err(ReadError::Unexpected(status)),
    }
}

/// Keeps a 2xx response, turns anything else into a [`WriteError`].
pub(crate) fn check_write(response: Response) -> Result<Response, WriteError> {
    match response.status {
        200..=299 => Ok(response),
        401 => Err(WriteError::Unauthorized),
        403 => Err(WriteError::Forbidden),
        404 | 410 => Err(WriteError::NotFound),
        409 => Err(WriteError::Rejected),
        412 => Err(WriteError::Conflict),
        500..=599 => Err(WriteError::Server(response.status)),
        status => Err(WriteError::Unexpected(status)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn statuses_map_to_typed_errors() {
        assert!(check_read(status(200)).is_ok());
        assert_eq!(check_read(status(401)), Err(ReadError::Unauthorized));
        assert_eq!(check_read(status(403)), Err(ReadError::Forbidden));
        assert_eq!(check_read(status(404)), Err(ReadError::NotFound));
        assert_eq!(check_read(status(503)), Err(ReadError::Server(503)));
        assert_eq!(check_write(status(409)), Err(WriteError::Rejected));
        assert_eq!(check_write(status(412)), Err(WriteError::Conflict));
        assert_eq!(check_write(status(418)), Err(WriteError::Unexpected(418)));
        assert!(check_write(status(205)).is_ok());
    }

    #[test]
    fn messages_say_what_to_do_not_status_codes() {
        let read =
            [401, 403, 404, 503, 418].map(|s| check_read(status(s)).unwrap_err().to_string());
        let write = [401, 403, 404, 409, 412, 503, 418]
            .map(|s| check_write(status(s)).unwrap_err().to_string());
        for message in read.iter().chain(&write) {
            assert!(!message.contains(|c: char| c.is_ascii_digit()), "{message}");
        }
        assert!(read[0].contains("log in again"), "{}", read[0]);
        assert!(write[4].contains("try again"), "{}", write[4]);
    }
}
