//! `recover` and `keys`: log in (or read a copy on disk), unlock with the master
//! password, then walk the drive (`solidcrypt::recover`) or list its keystores.

use solidcrypt::auth::client_credentials::login_with_password;
use solidcrypt::drive::size::format_size;
use solidcrypt::keystore::master::{unlock, UnlockError};
use solidcrypt::keystore::{Keyring, Layout, Password};
use solidcrypt::pod::http::{HttpClient, Request, Response, Signer, TransportError};
use solidcrypt::pod::native::NativeHttp;
use solidcrypt::pod::Pod;
use solidcrypt::recover::{recover_drive, LocalCopy};
use url::Url;

use crate::cli::{Code, DriveArgs, Failure, KeysArgs, RecoverArgs};
use crate::progress::Bar;
use crate::secrets::secret;
use crate::token::TokenSigner;

/// The pod over the network, or a copy of its files on disk.
enum Transport {
    Network(NativeHttp),
    Copy(LocalCopy),
}

impl HttpClient for Transport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        match self {
            Transport::Network(http) => http.send(request).await,
            Transport::Copy(copy) => copy.send(request).await,
        }
    }
}

/// An unlocked drive, with what reads it.
struct Drive {
    transport: Transport,
    /// The session the tool logged in with, or one from `--token-file`.
    signer: Option<Box<dyn Signer>>,
}

impl Drive {
    fn pod(&self) -> Pod<'_, Transport> {
        Pod::new(&self.transport, self.signer.as_deref())
    }
}

/// Logs in (unless reading a copy) and unlocks the drive at `args.pod`.
fn open(args: &DriveArgs) -> Result<(Drive, Keyring), Failure> {
    let mut storage = args.pod.clone();
    if !storage.path().ends_with('/') {
        let path = format!("{}/", storage.path());
        storage.set_path(&path);
    }
    let server = match &args.server {
        Some(server) => server.clone(),
        None => Url::parse(&storage.origin().ascii_serialization())
            .map_err(|e| Failure::new(Code::Failed, format!("{storage} has no origin: {e}")))?,
    };
    let drive = match &args.from_dir {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Failure::new(
                    Code::Failed,
                    format!("{} is not a folder", dir.display()),
                ));
            }
            Drive {
                transport: Transport::Copy(LocalCopy::new(&server, dir)),
                signer: None,
            }
        }
        None if args.token_file.is_some() => {
            let file = args
                .token_file
                .as_deref()
                .unwrap_or(std::path::Path::new(""));
            Drive {
                transport: Transport::Network(NativeHttp::new()),
                signer: Some(Box::new(TokenSigner::read(file)?)),
            }
        }
        None => {
            let http = NativeHttp::new();
            let email = args.email.as_deref().unwrap_or_default();
            let password = secret(
                args.account_password_file.as_deref(),
                "account password",
                "--account-password-file",
            )?;
            let session = pollster::block_on(login_with_password(&http, &server, email, &password))
                .map_err(|e| {
                    Failure::new(Code::Unreachable, format!("cannot log in at {server}: {e}"))
                })?;
            Drive {
                transport: Transport::Network(http),
                signer: Some(Box::new(session)),
            }
        }
    };
    let password = Password::new(
        secret(
            args.password_file.as_deref(),
            "master password",
            "--password-file",
        )?
        .to_string(),
    );
    let layout = Layout::for_storage(&storage);
    let keyring = pollster::block_on(unlock(&drive.pod(), &layout, &password)).map_err(|e| {
        let code = match e {
            UnlockError::WrongPassword => Code::WrongSecret,
            UnlockError::Damaged(_) => Code::Damaged,
            UnlockError::Read(_) | UnlockError::Keystore(_) => Code::Unreachable,
            _ => Code::Failed,
        };
        Failure::new(code, format!("cannot unlock the drive at {storage}: {e}"))
    })?;
    Ok((drive, keyring))
}

pub fn recover(args: RecoverArgs) -> Result<Code, Failure> {
    let (drive, keyring) = open(&args.drive)?;
    std::fs::create_dir_all(&args.output).map_err(|e| {
        Failure::new(
            Code::Failed,
            format!("cannot create {}: {e}", args.output.display()),
        )
    })?;
    let mut bar = Bar::new();
    let report = pollster::block_on(recover_drive(
        &drive.pod(),
        &keyring,
        &args.output,
        &mut bar,
    ));
    bar.finish();
    println!(
        "Recovered {} files ({}) in {} folders into {}",
        report.files,
        format_size(report.bytes),
        report.folders,
        args.output.display()
    );
    if report.failures.is_empty() {
        return Ok(Code::Done);
    }
    println!("Not recovered ({}):", report.failures.len());
    for failure in &report.failures {
        println!("  {}: {}", failure.path.display(), failure.why);
    }
    Ok(Code::Partial)
}

pub fn keys(args: KeysArgs) -> Result<Code, Failure> {
    let (_drive, keyring) = open(&args.drive)?;
    let _ = args.list; // listing is what `keys` does; the flag reads as documentation
    for keystore in keyring.keystores() {
        println!(
            "{:?} keystore {} (for {})",
            keystore.kind, keystore.url, keystore.scope
        );
        let mut entries = keyring.entries_of(&keystore.url);
        entries.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        for (url, entry) in entries {
            let kind = if entry.key.is_some() {
                "file"
            } else {
                "folder"
            };
            match (&entry.key, args.show_keys) {
                (Some(key), true) => {
                    println!(
                        "  {kind} {:?} {url} key {}",
                        entry.name,
                        key.to_base64url().as_str()
                    )
                }
                _ => println!("  {kind} {:?} {url}", entry.name),
            }
        }
    }
    for unavailable in keyring.unavailable() {
        println!(
            "Unavailable: {} ({})",
            unavailable.keystore, unavailable.reason
        );
    }
    Ok(Code::Done)
}
