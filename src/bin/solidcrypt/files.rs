//! `decrypt`, `encrypt` and `inspect`: one envelope on disk (a file, or a parts
//! folder copied from a pod), with its key.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use solidcrypt::crypto::envelope::{
    Encryptor, Header, Metadata, OpenError, RustCryptoCipher, SealOptions, HEADER_LEN, TAG_LEN,
};
use solidcrypt::crypto::SecretKey;
use solidcrypt::drive::{decrypt as decrypt_stream, DownloadError, PlainSink};
use solidcrypt::recover::file_sink::PartialFile;
use solidcrypt::recover::local_files::{envelope_files, read_start, FilesSource, LocalFilesError};
use solidcrypt::recover::FileSink;
use zeroize::Zeroizing;

use crate::cli::{Code, DecryptArgs, EncryptArgs, Failure, InspectArgs};
use crate::secrets::key;

/// Plaintext bytes encrypted at a time.
const PIECE: usize = 1024 * 1024;

/// Whether `path` names nothing yet (outputs are never overwritten).
fn must_be_new(path: &Path) -> Result<(), Failure> {
    if path.exists() {
        return Err(Failure::new(
            Code::Failed,
            format!("{} already exists: nothing was overwritten", path.display()),
        ));
    }
    Ok(())
}

/// The exit code and message of a failed open.
fn opening(input: &Path, e: &OpenError) -> Failure {
    let code = match e {
        OpenError::KeyOrHeaderMismatch => Code::WrongSecret,
        OpenError::Engine(_) => Code::Failed,
        _ => Code::Damaged,
    };
    Failure::new(code, format!("{}: {e}", input.display()))
}

fn finding(input: &Path, e: LocalFilesError) -> Failure {
    match e {
        LocalFilesError::Open(e) => opening(input, &e),
        LocalFilesError::Io(..) => Failure::new(Code::Failed, e.to_string()),
        e => Failure::new(Code::Damaged, format!("{}: {e}", input.display())),
    }
}

fn required_key(args: &crate::cli::KeyArgs) -> Result<SecretKey, Failure> {
    key(args)?
        .ok_or_else(|| Failure::new(Code::Failed, "give the file key with --key or --key-file"))
}

/// Decrypts `files` (one envelope) into `sink`.
fn open_into<K: PlainSink<RustCryptoCipher>>(
    input: &Path,
    key: &SecretKey,
    files: Vec<PathBuf>,
    sink: &mut K,
) -> Result<Metadata, Failure> {
    let mut source = FilesSource::new(files);
    pollster::block_on(decrypt_stream::<RustCryptoCipher, _, _>(
        key,
        &mut source,
        sink,
        &mut |_| {},
    ))
    .map_err(|e| match e {
        DownloadError::Corrupt(e) => opening(input, &e),
        e => Failure::new(Code::Failed, format!("{}: {e}", input.display())),
    })
}

pub fn decrypt(args: DecryptArgs) -> Result<Code, Failure> {
    let key = required_key(&args.key)?;
    must_be_new(&args.output)?;
    let files = envelope_files(&args.input, Some(&key)).map_err(|e| finding(&args.input, e))?;
    let mut sink = FileSink::create(&args.output).map_err(|e| {
        Failure::new(
            Code::Failed,
            format!("cannot write {}: {e}", args.output.display()),
        )
    })?;
    let metadata = open_into(&args.input, &key, files, &mut sink)?;
    println!(
        "Decrypted {} bytes into {}{}",
        sink.written(),
        args.output.display(),
        metadata
            .name
            .map(|n| format!(" (stored name: {n:?})"))
            .unwrap_or_default()
    );
    Ok(Code::Done)
}

pub fn encrypt(args: EncryptArgs) -> Result<Code, Failure> {
    must_be_new(&args.output)?;
    let key = match &args.new_key_file {
        Some(file) => {
            must_be_new(file)?;
            let key = SecretKey::generate()
                .map_err(|e| Failure::new(Code::Failed, format!("no randomness: {e}")))?;
            write_new(
                file,
                format!("{}\n", key.to_base64url().as_str()).as_bytes(),
            )?;
            key
        }
        None => required_key(&args.key)?,
    };
    let io = |path: &Path, e: std::io::Error| {
        Failure::new(Code::Failed, format!("{}: {e}", path.display()))
    };
    let mut input = File::open(&args.input).map_err(|e| io(&args.input, e))?;
    let size = input.metadata().map_err(|e| io(&args.input, e))?.len();
    let name = args.name.clone().or_else(|| {
        args.input
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_owned)
    });
    let options = SealOptions {
        metadata: Metadata {
            name,
            media_type: args.media_type.clone(),
            size: Some(size),
        },
        ..SealOptions::default()
    };
    // Written under a temporary name, removed if anything fails before the end.
    let mut output = PartialFile::create(&args.output).map_err(|e| io(&args.output, e))?;
    let sealing =
        |e: solidcrypt::crypto::envelope::SealError| Failure::new(Code::Failed, e.to_string());
    let mut out = Vec::new();
    let mut encryptor = Encryptor::start_blocking(&key, &options, &mut out).map_err(sealing)?;
    let mut piece = Zeroizing::new(vec![0u8; PIECE]);
    loop {
        let read = input.read(&mut piece).map_err(|e| io(&args.input, e))?;
        if read == 0 {
            break;
        }
        encryptor
            .push_blocking(&piece[..read], &mut out)
            .map_err(sealing)?;
        output.write_all(&out).map_err(|e| io(&args.output, e))?;
        out.clear();
    }
    encryptor.finish_blocking(&mut out).map_err(sealing)?;
    output.write_all(&out).map_err(|e| io(&args.output, e))?;
    output.commit().map_err(|e| io(&args.output, e))?;
    println!("Encrypted {size} bytes into {}", args.output.display());
    Ok(Code::Done)
}

pub fn inspect(args: InspectArgs) -> Result<Code, Failure> {
    let key = key(&args.key)?;
    let files = envelope_files(&args.input, key.as_ref()).map_err(|e| finding(&args.input, e))?;
    let start = read_start(&files[0], HEADER_LEN).map_err(|e| finding(&args.input, e))?;
    let header = Header::parse(&start).map_err(|e| opening(&args.input, &OpenError::from(e)))?;
    let mut total = 0u64;
    for file in &files {
        total += std::fs::metadata(file)
            .map_err(|e| Failure::new(Code::Failed, format!("{}: {e}", file.display())))?
            .len();
    }
    let sealed = total.saturating_sub(HEADER_LEN as u64 + u64::from(header.metadata_len));
    let chunk = u64::from(header.chunk_size) + TAG_LEN as u64;
    println!("solidcrypt envelope, format 1");
    if files.len() > 1 {
        println!("stored in {} parts", files.len());
    }
    println!("size: {total} bytes");
    println!(
        "chunk size: {} bytes ({} chunks)",
        header.chunk_size,
        sealed.div_ceil(chunk).max(1)
    );
    println!(
        "metadata block: {}",
        match header.metadata_len {
            0 => "none".to_owned(),
            len => format!("{len} bytes (encrypted)"),
        }
    );
    println!("salt: {}", hex(&header.salt));
    let Some(key) = key else {
        println!("(give --key or --key-file to check it and read its name, type and size)");
        return Ok(Code::Done);
    };
    let metadata = open_into(&args.input, &key, files, &mut Discard::default())?;
    println!("key: opens it; every chunk checks out (intact)");
    println!(
        "name: {}",
        metadata
            .name
            .as_deref()
            .map_or("(none)".into(), |n| format!("{n:?}"))
    );
    println!(
        "type: {}",
        metadata.media_type.as_deref().unwrap_or("(none)")
    );
    println!(
        "plaintext size: {}",
        metadata
            .size
            .map_or("(not stated)".into(), |s| s.to_string())
    );
    Ok(Code::Done)
}

/// Decrypts and forgets: `inspect` checks every chunk without writing anything.
#[derive(Default)]
struct Discard(Zeroizing<Vec<u8>>);

impl PlainSink<RustCryptoCipher> for Discard {
    async fn open(
        &mut self,
        decryptor: &mut solidcrypt::crypto::envelope::Decryptor<RustCryptoCipher>,
        piece: &[u8],
    ) -> Result<(), DownloadError> {
        decryptor.push(piece, &mut self.0).await?;
        self.0.clear();
        Ok(())
    }

    async fn finish(
        &mut self,
        decryptor: solidcrypt::crypto::envelope::Decryptor<RustCryptoCipher>,
    ) -> Result<Option<Metadata>, DownloadError> {
        let metadata = decryptor.finish(&mut self.0).await?;
        self.0.clear();
        Ok(metadata)
    }
}

/// Writes a new file readable by its owner only (a key).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| {
            Failure::new(
                Code::Failed,
                format!("cannot write {}: {e}", path.display()),
            )
        })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
