//! Optional encrypted metadata records (docs/FORMAT.md §1.4): original name, media
//! type and size travel inside the envelope, so the pod sees none of them.

/// Record type of the original file name.
const TYPE_NAME: u8 = 1;
/// Record type of the media type.
const TYPE_MEDIA_TYPE: u8 = 2;
/// Record type of the plaintext size.
const TYPE_SIZE: u8 = 3;
/// Largest total size of the records (keeps the block within `MAX_METADATA_LEN`).
pub const MAX_RECORDS_LEN: usize = 65536;

/// What the envelope says about the file it holds. All fields are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Original file name, e.g. `holiday.jpg`.
    pub name: Option<String>,
    /// Media type, e.g. `image/jpeg`.
    pub media_type: Option<String>,
    /// Plaintext size in bytes, as the writer announced it (informational; the
    /// chunks define the content).
    pub size: Option<u64>,
}

/// Why decrypted metadata records could not be read (only a faulty writer produces this).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// A record's header or value runs past the end of the block.
    #[error("a metadata record runs past the end of the block")]
    Overrun,
    /// Record types must strictly increase.
    #[error("metadata record type {0} is repeated or out of order")]
    OutOfOrder(u8),
    /// Name or media type is not UTF-8.
    #[error("metadata record type {0} is not valid UTF-8")]
    NotUtf8(u8),
    /// The size record is not 8 bytes.
    #[error("the size record must be 8 bytes")]
    BadSize,
    /// The records would not fit in one metadata block.
    #[error("metadata is larger than {MAX_RECORDS_LEN} bytes")]
    TooLarge,
}

impl Metadata {
    /// True when no field is set (then writers omit the block entirely).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Encodes the records in type order.
    pub fn to_records(&self) -> Result<Vec<u8>, MetadataError> {
        let mut out = Vec::new();
        let mut push = |kind: u8, value: &[u8]| -> Result<(), MetadataError> {
            let len = u16::try_from(value.len()).map_err(|_| MetadataError::TooLarge)?;
            out.push(kind);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(value);
            Ok(())
        };
        if let Some(name) = &self.name {
            push(TYPE_NAME, name.as_bytes())?;
        }
        if let Some(media_type) = &self.media_type {
            push(TYPE_MEDIA_TYPE, media_type.as_bytes())?;
        }
        if let Some(size) = self.size {
            push(TYPE_SIZE, &size.to_be_bytes())?;
        }
        if out.len() > MAX_RECORDS_LEN {
            return Err(MetadataError::TooLarge);
        }
        Ok(out)
    }

    /// Decodes records, skipping unknown types (reserved for later versions).
    pub fn from_records(mut bytes: &[u8]) -> Result<Self, MetadataError> {
        let mut meta = Self::default();
        let mut previous: Option<u8> = None;
        while let Some((&kind, rest)) = bytes.split_first() {
            if previous.is_some_and(|p| kind <= p) {
                return Err(MetadataError::OutOfOrder(kind));
            }
            previous = Some(kind);
            let (len, rest) = rest
                .split_first_chunk::<2>()
                .ok_or(MetadataError::Overrun)?;
            let len = usize::from(u16::from_be_bytes(*len));
            let (value, rest) = rest.split_at_checked(len).ok_or(MetadataError::Overrun)?;
            bytes = rest;
            let text =
                || String::from_utf8(value.to_vec()).map_err(|_| MetadataError::NotUtf8(kind));
            match kind {
                TYPE_NAME => meta.name = Some(text()?),
                TYPE_MEDIA_TYPE => meta.media_type = Some(text()?),
                TYPE_SIZE => {
                    let size: [u8; 8] = value.try_into().map_err(|_| MetadataError::BadSize)?;
                    meta.size = Some(u64::from_be_bytes(size));
                }
                _ => {}
            }
        }
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_exact_bytes() {
        let meta = Metadata {
            name: Some("a.txt".into()),
            media_type: Some("text/plain".into()),
            size: Some(258),
        };
        let bytes = meta.to_records().unwrap();
        assert_eq!(&bytes[..8], b"\x01\x00\x05a.txt");
        assert_eq!(
            &bytes[bytes.len() - 11..],
            b"\x03\x00\x08\0\0\0\0\0\0\x01\x02"
        );
        assert_eq!(Metadata::from_records(&bytes).unwrap(), meta);
        assert_eq!(Metadata::default().to_records().unwrap(), b"");
        assert!(Metadata::default().is_empty());
    }

    #[test]
    fn rejects_malformed_records() {
        assert_eq!(
            Metadata::from_records(b"\x01\x00\x05abc"),
            Err(MetadataError::Overrun)
        );
        assert_eq!(
            Metadata::from_records(b"\x01\x00"),
            Err(MetadataError::Overrun)
        );
        assert_eq!(
            Metadata::from_records(b"\x02\x00\x00\x01\x00\x00"),
            Err(MetadataError::OutOfOrder(1))
        );
        assert_eq!(
            Metadata::from_records(b"\x01\x00\x01\xff"),
            Err(MetadataError::NotUtf8(1))
        );
        assert_eq!(
            Metadata::from_records(b"\x03\x00\x01\x00"),
            Err(MetadataError::BadSize)
        );
    }

    #[test]
    fn skips_unknown_types() {
        let meta = Metadata::from_records(b"\x01\x00\x01x\x09\x00\x02hi").unwrap();
        assert_eq!(meta.name.as_deref(), Some("x"));
    }

    #[test]
    fn too_large_is_refused() {
        let meta = Metadata {
            name: Some("n".repeat(65535)),
            media_type: Some("m".repeat(10)),
            size: None,
        };
        assert_eq!(meta.to_records(), Err(MetadataError::TooLarge));
    }
}
