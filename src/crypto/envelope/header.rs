//! The 78-byte file envelope header (docs/FORMAT.md §1.1): the only place its bytes
//! are read or written.

/// `"SLCF"`: marks a solidcrypt file envelope.
pub const MAGIC: [u8; 4] = *b"SLCF";
/// The only envelope version this code reads and writes.
pub const VERSION: u8 = 1;
/// Header length in bytes; the metadata block or the first chunk starts here.
pub const HEADER_LEN: usize = 78;
/// Length of the AES-GCM tag that ends every chunk and the metadata block.
pub const TAG_LEN: usize = 16;
/// Random bytes per write that make the payload key unique.
pub const SALT_LEN: usize = 32;
/// Length of the key commitment (the second half of the HKDF output).
pub const COMMITMENT_LEN: usize = 32;
/// Smallest accepted chunk size: keeps per-chunk overhead sane for hostile headers.
pub const MIN_CHUNK_SIZE: u32 = 64;
/// Largest accepted chunk size: bounds what a reader must buffer (16 MiB).
pub const MAX_CHUNK_SIZE: u32 = 16 * 1024 * 1024;
/// Largest encrypted metadata block: 64 KiB of records plus the tag.
pub const MAX_METADATA_LEN: u32 = 65536 + TAG_LEN as u32;

/// Offset where the key commitment starts; everything before it goes into the HKDF info.
pub(crate) const COMMITTED_LEN: usize = HEADER_LEN - COMMITMENT_LEN;

/// A parsed header. Fields are public so tools can show them; [`Header::to_bytes`]
/// writes back exactly what [`Header::parse`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Plaintext bytes per chunk (the last chunk may be shorter).
    pub chunk_size: u32,
    /// Length of the encrypted metadata block after the header; 0 means none.
    pub metadata_len: u32,
    /// Per-write HKDF salt.
    pub salt: [u8; SALT_LEN],
    /// Key commitment; checked against the key before any decryption.
    pub commitment: [u8; COMMITMENT_LEN],
}

/// Why header bytes are not a valid v1 envelope header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderError {
    /// Fewer than [`HEADER_LEN`] bytes.
    #[error("it is incomplete: it ends inside its header")]
    Truncated,
    /// Does not start with `SLCF`: not a solidcrypt file envelope at all.
    #[error("it is not something solidcrypt encrypted, or it is damaged")]
    BadMagic,
    /// A version this build cannot read (written by a newer app?).
    #[error("it was encrypted by a newer solidcrypt (format {0}): update the app to open it")]
    UnsupportedVersion(u8),
    /// A field is out of its documented range.
    #[error("it is damaged ({0})")]
    InvalidHeader(&'static str),
}

impl Header {
    /// Checks the writer-chosen fields against the ranges every reader enforces.
    pub(crate) fn validate(chunk_size: u32, metadata_len: u32) -> Result<(), HeaderError> {
        if !(MIN_CHUNK_SIZE..=MAX_CHUNK_SIZE).contains(&chunk_size) {
            return Err(HeaderError::InvalidHeader("chunk size out of range"));
        }
        if metadata_len != 0 && !(TAG_LEN as u32..=MAX_METADATA_LEN).contains(&metadata_len) {
            return Err(HeaderError::InvalidHeader("metadata length out of range"));
        }
        Ok(())
    }

    /// Parses the first [`HEADER_LEN`] bytes of `bytes` (extra bytes are ignored).
    pub fn parse(bytes: &[u8]) -> Result<Self, HeaderError> {
        if bytes.len() >= MAGIC.len() && bytes[..MAGIC.len()] != MAGIC {
            return Err(HeaderError::BadMagic);
        }
        let Some(bytes) = bytes.get(..HEADER_LEN) else {
            return Err(HeaderError::Truncated);
        };
        if bytes[4] != VERSION {
            return Err(HeaderError::UnsupportedVersion(bytes[4]));
        }
        if bytes[5] != 0 {
            return Err(HeaderError::InvalidHeader("reserved byte is not zero"));
        }
        let chunk_size = u32::from_be_bytes([bytes[6], bytes[7], bytes[8], bytes[9]]);
        let metadata_len = u32::from_be_bytes([bytes[10], bytes[11], bytes[12], bytes[13]]);
        Self::validate(chunk_size, metadata_len)?;
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&bytes[14..14 + SALT_LEN]);
        let mut commitment = [0u8; COMMITMENT_LEN];
        commitment.copy_from_slice(&bytes[COMMITTED_LEN..HEADER_LEN]);
        Ok(Self {
            chunk_size,
            metadata_len,
            salt,
            commitment,
        })
    }

    /// The header bytes before the commitment (what the HKDF info binds).
    pub(crate) fn committed_bytes(&self) -> [u8; COMMITTED_LEN] {
        let mut out = [0u8; COMMITTED_LEN];
        out[..4].copy_from_slice(&MAGIC);
        out[4] = VERSION;
        out[5] = 0;
        out[6..10].copy_from_slice(&self.chunk_size.to_be_bytes());
        out[10..14].copy_from_slice(&self.metadata_len.to_be_bytes());
        out[14..].copy_from_slice(&self.salt);
        out
    }

    /// Serializes the header to its 78 bytes.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..COMMITTED_LEN].copy_from_slice(&self.committed_bytes());
        out[COMMITTED_LEN..].copy_from_slice(&self.commitment);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Header {
        Header {
            chunk_size: 65536,
            metadata_len: 40,
            salt: [0x11; SALT_LEN],
            commitment: [0x22; COMMITMENT_LEN],
        }
    }

    #[test]
    fn parse_serialize_round_trip() {
        let bytes = sample().to_bytes();
        assert_eq!(&bytes[..6], b"SLCF\x01\x00");
        assert_eq!(&bytes[6..10], &[0, 1, 0, 0]);
        assert_eq!(Header::parse(&bytes).unwrap(), sample());
        assert_eq!(Header::parse(&bytes).unwrap().to_bytes(), bytes);
    }

    #[test]
    fn rejects_each_bad_field() {
        let good = sample().to_bytes();
        let with = |i: usize, v: u8| {
            let mut b = good;
            b[i] = v;
            Header::parse(&b)
        };
        assert_eq!(with(0, b'X'), Err(HeaderError::BadMagic));
        assert_eq!(with(4, 2), Err(HeaderError::UnsupportedVersion(2)));
        assert!(matches!(with(5, 1), Err(HeaderError::InvalidHeader(_))));
        assert!(matches!(with(6, 2), Err(HeaderError::InvalidHeader(_))));
        assert!(matches!(with(11, 9), Err(HeaderError::InvalidHeader(_))));
        assert_eq!(Header::parse(&good[..77]), Err(HeaderError::Truncated));
        assert_eq!(Header::parse(b"SL"), Err(HeaderError::Truncated));
        assert_eq!(Header::parse(b"PK\x03\x04"), Err(HeaderError::BadMagic));
    }

    #[test]
    fn chunk_size_bounds() {
        assert!(Header::validate(MIN_CHUNK_SIZE, 0).is_ok());
        assert!(Header::validate(MAX_CHUNK_SIZE, 0).is_ok());
        assert!(Header::validate(MIN_CHUNK_SIZE - 1, 0).is_err());
        assert!(Header::validate(MAX_CHUNK_SIZE + 1, 0).is_err());
        assert!(Header::validate(4096, 15).is_err());
        assert!(Header::validate(4096, MAX_METADATA_LEN).is_ok());
        assert!(Header::validate(4096, MAX_METADATA_LEN + 1).is_err());
    }
}
