//! A minimal WebSocket client (RFC 6455) for the notification tests: the opening
//! handshake over plain TCP and unmasked server text frames — what a Solid
//! WebSocketChannel2023 sends. Small enough to read in one go, so the tests need
//! no WebSocket crate.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine;
use url::Url;

/// An open socket to a `ws:` URL.
pub struct Socket {
    reader: BufReader<TcpStream>,
}

impl Socket {
    /// Connects and completes the opening handshake (101 or a panic).
    pub fn connect(url: &Url) -> Socket {
        assert_eq!(url.scheme(), "ws", "the test pod speaks plain ws");
        let host = url.host_str().unwrap();
        let port = url.port_or_known_default().unwrap();
        let stream = TcpStream::connect((host, port)).expect("connect to the socket");
        let key = base64::engine::general_purpose::STANDARD.encode(super::random_bytes(16));
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        (&stream).write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 101"), "no upgrade: {status}");
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        Socket { reader }
    }

    /// The next text message, or `None` if none came within `wait` (or the socket
    /// closed). Pings are answered; other control frames are skipped.
    pub fn next_text(&mut self, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .unwrap();
            let mut head = [0u8; 2];
            self.reader.read_exact(&mut head).ok()?;
            let opcode = head[0] & 0x0f;
            let mut len = u64::from(head[1] & 0x7f);
            if len == 126 {
                let mut b = [0u8; 2];
                self.reader.read_exact(&mut b).ok()?;
                len = u64::from(u16::from_be_bytes(b));
            } else if len == 127 {
                let mut b = [0u8; 8];
                self.reader.read_exact(&mut b).ok()?;
                len = u64::from_be_bytes(b);
            }
            assert!(len < 1 << 20, "a frame of {len} bytes");
            let mut payload = vec![0u8; len as usize];
            self.reader.read_exact(&mut payload).ok()?;
            match opcode {
                0x1 => return Some(String::from_utf8(payload).expect("a text frame is UTF-8")),
                0x8 => return None,
                0x9 => self.send(0xA, &payload),
                _ => {}
            }
        }
    }

    /// Sends one masked frame (clients must mask; the mask may be anything).
    fn send(&mut self, opcode: u8, payload: &[u8]) {
        assert!(payload.len() < 126, "control frames are short");
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        let mut frame = vec![0x80 | opcode, 0x80 | payload.len() as u8];
        frame.extend(mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.reader.get_mut().write_all(&frame).unwrap();
    }
}
