//! The command line: subcommands, their arguments, and the exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// How the tool ends (see the crate doc and `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Done = 0,
    Failed = 1,
    WrongSecret = 3,
    Damaged = 4,
    Unreachable = 5,
    Partial = 6,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code as u8)
    }
}

/// A command that did not succeed: what to tell the user, and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

const EXIT_CODES: &str = "Exit codes: 0 done; 1 failed; 2 bad usage; 3 wrong password or key; \
4 damaged or not a solidcrypt file; 5 cannot reach the pod or log in; \
6 recovered, but some items were not (they are listed).";

/// solidcrypt: your encrypted Solid drive, outside the browser.
#[derive(Parser)]
#[command(version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Download and decrypt a whole drive (your files, and what others shared with
    /// you, where still readable) into a folder, with the real names.
    #[command(after_help = EXIT_CODES)]
    Recover(RecoverArgs),
    /// List the keystores of a drive and the names they hold.
    #[command(after_help = EXIT_CODES)]
    Keys(KeysArgs),
    /// Decrypt one file (or a parts folder copied from a pod) with its key.
    #[command(after_help = EXIT_CODES)]
    Decrypt(DecryptArgs),
    /// Encrypt one file into a solidcrypt envelope (FORMAT §1).
    #[command(after_help = EXIT_CODES)]
    Encrypt(EncryptArgs),
    /// Show an encrypted file's header; with its key, also its name, type and size,
    /// and whether it is intact.
    #[command(after_help = EXIT_CODES)]
    Inspect(InspectArgs),
}

/// Where the drive is and how to open it.
#[derive(Args)]
pub struct DriveArgs {
    /// Your storage (pod) URL, e.g. http://localhost:3000/alice/.
    #[arg(long, value_name = "STORAGE URL")]
    pub pod: url::Url,
    /// Read from a copy of the server's data folder on disk (Community Solid
    /// Server's --rootFilePath) instead of the server: no login, nothing written.
    /// The folder stands for the server's base URL, given by --server.
    #[arg(long, value_name = "FOLDER")]
    pub from_dir: Option<PathBuf>,
    /// The server's base URL (its account pages and the root of --from-dir);
    /// default: the origin of --pod.
    #[arg(long, value_name = "URL")]
    pub server: Option<url::Url>,
    /// Your account's email (Community Solid Server login with its password).
    #[arg(long, required_unless_present_any = ["from_dir", "token_file"])]
    pub email: Option<String>,
    /// A session made elsewhere, for other servers: a JSON file
    /// {"access_token", "token_type": "Bearer"} or {"access_token",
    /// "token_type": "DPoP", "dpop_key": <private JWK>}, readable by you alone.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["email", "from_dir"])]
    pub token_file: Option<PathBuf>,
    /// A file whose first line is the account password (else it is asked for).
    #[arg(long, value_name = "FILE")]
    pub account_password_file: Option<PathBuf>,
    /// A file whose first line is the drive's master password (else it is asked for).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct RecoverArgs {
    #[command(flatten)]
    pub drive: DriveArgs,
    /// The folder to write into (created if missing; existing files are kept).
    #[arg(short, long, value_name = "FOLDER")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct KeysArgs {
    #[command(flatten)]
    pub drive: DriveArgs,
    /// List the keystores and every entry's name (the default).
    #[arg(long)]
    pub list: bool,
    /// Also print each file's key (base64url). Anyone with a key can read its file.
    #[arg(long)]
    pub show_keys: bool,
}

/// A file key: on the command line or, better (not in the shell history or the
/// process list), in a file.
#[derive(Args)]
#[group(required = false, multiple = false)]
pub struct KeyArgs {
    /// The file key, base64url (as `keys --show-keys` prints it); one starting
    /// with `-` works too (`--key=-…`).
    #[arg(long, value_name = "BASE64URL", allow_hyphen_values = true)]
    pub key: Option<String>,
    /// A file whose first line is the key.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct DecryptArgs {
    #[command(flatten)]
    pub key: KeyArgs,
    /// The encrypted file, or a parts folder (its `<gen>-<i>` files).
    pub input: PathBuf,
    /// Where to write the decrypted file (must not exist).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct EncryptArgs {
    #[command(flatten)]
    pub key: KeyArgs,
    /// Make a fresh key and write it to this file (must not exist).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key", "key_file"])]
    pub new_key_file: Option<PathBuf>,
    /// The name stored (encrypted) in the envelope; default: the input's file name.
    #[arg(long)]
    pub name: Option<String>,
    /// The media type stored (encrypted) in the envelope.
    #[arg(long = "type", value_name = "MEDIA TYPE")]
    pub media_type: Option<String>,
    /// The file to encrypt.
    pub input: PathBuf,
    /// Where to write the envelope (must not exist).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub key: KeyArgs,
    /// The encrypted file, or a parts folder.
    pub input: PathBuf,
}
