//! The envelope header and metadata-record parsers never panic on any input, and
//! whatever they accept serializes back to the same bytes (records: same value).
#![no_main]

use libfuzzer_sys::fuzz_target;
use solidcrypt::crypto::envelope::{Header, Metadata, HEADER_LEN};

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = Header::parse(data) {
        assert_eq!(header.to_bytes()[..], data[..HEADER_LEN]);
        assert_eq!(Header::parse(&header.to_bytes()).as_ref(), Ok(&header));
    }
    if let Ok(meta) = Metadata::from_records(data) {
        let records = meta.to_records().expect("parsed records re-encode");
        assert_eq!(Metadata::from_records(&records), Ok(meta));
    }
});
