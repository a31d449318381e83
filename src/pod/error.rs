//! Typed failures of pod operations: one enum per kind of operation, so a caller can
//! match on exactly what that operation can go wrong with (a 412 only matters to a
//! write, a parse failure only to something that reads RDF).

use super::http::{Response, TransportError};

/// Reading a resource (GET/HEAD) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("not logged in, or the session expired (401)")]
    Unauthorized,
    #[error("access denied (403)")]
    Forbidden,
    #[error("not found (404)")]
    NotFound,
    #[error("the pod failed to answer ({0})")]
    Server(u16),
    #[error("unexpected answer from the pod ({0})")]
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
    #[error("not logged in, or the session expired (401)")]
    Unauthorized,
    #[error("access denied (403)")]
    Forbidden,
    #[error("not found (404)")]
    NotFound,
    /// 409: the write contradicts the pod's structure (e.g. a file where a folder is).
    #[error("the pod refused the write because it conflicts with what is there (409)")]
    Rejected,
    /// 412: someone else changed (or created) the resource first; read again and retry.
    #[error("the resource changed since it was read, or already exists (412)")]
    Conflict,
    #[error("the pod failed to answer ({0})")]
    Server(u16),
    #[error("unexpected answer from the pod ({0})")]
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
}
