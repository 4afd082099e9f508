//! `cargo xtask record`: the end-to-end test (`e2e.rs`) with a recorder between
//! cognito-local and `cargo lambda watch`, keeping every event cognito-local sends the pool,
//! byte for byte, in `tests/events/e2e.jsonl`.
//!
//! The recorder is a plain TCP relay on 127.0.0.1: cognito-local's Lambda client talks to it
//! as it would to the Invoke API, it passes every byte on to `cargo lambda watch` and every
//! byte of the answers back, and it reads the requests as they pass to keep the body of each
//! `POST /2015-03-31/functions/{name}/invocations`. Nothing in the pool, the examples or the
//! runtime knows it is there.

use std::io::{BufRead, BufReader, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Where `cargo xtask record` writes what it recorded.
pub(crate) const RECORDING: &str = "tests/events/e2e.jsonl";

/// Runs the end-to-end flows through a recorder and, when every flow passed, writes the
/// events to [`RECORDING`].
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let events = crate::e2e::run_recording(root)?;
    if events.is_empty() {
        return Err("the flows passed but cognito-local sent the pool no event".to_owned());
    }
    let mut text = String::new();
    let mut sources = std::collections::BTreeMap::<String, usize>::new();
    for event in &events {
        let line = one_line(event)?;
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        *sources
            .entry(value["triggerSource"].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
        text.push_str(&line);
        text.push('\n');
    }
    let path = root.join(RECORDING);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("    {} events written to {RECORDING}:", events.len());
    for (source, count) in sources {
        println!("      {count:>3} {source}");
    }
    println!("    review with `git diff --stat`, then run the tests: they read every file there");
    Ok(())
}

/// An event as one JSON Lines line: the bytes as sent, without line breaks (outside strings,
/// where JSON cannot have them, they are whitespace).
fn one_line(body: &[u8]) -> Result<String, String> {
    serde_json::from_slice::<serde_json::Value>(body)
        .map_err(|e| format!("cognito-local sent an event that is not JSON: {e}"))?;
    let text = String::from_utf8(body.to_vec()).map_err(|e| e.to_string())?;
    Ok(text.replace(['\r', '\n'], ""))
}

/// A relay in front of an Invoke API that keeps the invocation payloads it passes on.
pub(crate) struct Recorder {
    address: SocketAddr,
    events: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Recorder {
    /// Relays connections made to `listener` to `upstream`.
    pub(crate) fn start(listener: TcpListener, upstream: SocketAddr) -> Result<Self, String> {
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let events = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (events, stop) = (Arc::clone(&events), Arc::clone(&stop));
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let events = Arc::clone(&events);
                    std::thread::spawn(move || {
                        if let Err(error) = relay(client, upstream, &events) {
                            println!("    recorder: {error}");
                        }
                    });
                }
            })
        };
        Ok(Self {
            address,
            events,
            stop,
            accept: Some(accept),
        })
    }

    /// The address to give the client instead of the Invoke API's.
    pub(crate) fn address(&self) -> SocketAddr {
        self.address
    }

    /// The invocation payloads relayed so far, in the order they arrived.
    pub(crate) fn events(&self) -> Vec<Vec<u8>> {
        self.events
            .lock()
            .map(|events| events.clone())
            .unwrap_or_default()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees `stop`.
        let _ = TcpStream::connect(self.address);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Relays one client connection: requests up (reading each to keep invocation payloads),
/// answers down, untouched.
fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    events: &Mutex<Vec<Vec<u8>>>,
) -> Result<(), String> {
    let server =
        TcpStream::connect(upstream).map_err(|e| format!("cannot reach {upstream}: {e}"))?;
    let answers = {
        let (mut from, mut to) = (
            server.try_clone().map_err(|e| e.to_string())?,
            client.try_clone().map_err(|e| e.to_string())?,
        );
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Write);
        })
    };
    let mut requests = BufReader::new(client);
    let mut up = server;
    let result = loop {
        match read_request(&mut requests) {
            Ok(Some(request)) => {
                if request.is_invocation
                    && let Ok(mut events) = events.lock()
                {
                    events.push(request.body);
                }
                if let Err(error) = up.write_all(&request.raw) {
                    break Err(format!("cannot pass a request on: {error}"));
                }
            }
            Ok(None) => break Ok(()),
            Err(error) => break Err(error),
        }
    };
    let _ = up.shutdown(Shutdown::Write);
    let _ = answers.join();
    result
}

/// One HTTP/1.1 request as it came (`raw`) and its decoded body.
struct Request {
    raw: Vec<u8>,
    body: Vec<u8>,
    is_invocation: bool,
}

/// Reads the next request off a connection; `None` when the client closed it.
fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, String> {
    let mut raw = Vec::new();
    let mut content_length = 0usize;
    let mut chunked = false;
    let mut request_line = String::new();
    loop {
        let mut line = Vec::new();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return if raw.is_empty() {
                Ok(None)
            } else {
                Err("the connection closed inside a request".to_owned())
            };
        }
        raw.extend_from_slice(&line);
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end();
        if request_line.is_empty() {
            request_line = text.to_owned();
            continue;
        }
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value
                    .parse()
                    .map_err(|_| format!("bad Content-Length {value:?}"))?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.to_ascii_lowercase().contains("chunked");
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size_line = Vec::new();
            reader
                .read_until(b'\n', &mut size_line)
                .map_err(|e| e.to_string())?;
            raw.extend_from_slice(&size_line);
            let size_text = String::from_utf8_lossy(&size_line);
            let size_text = size_text.trim().split(';').next().unwrap_or_default();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| format!("bad chunk size {size_text:?}"))?;
            let mut chunk = vec![0; size + 2]; // the data, then CRLF
            if size == 0 {
                // The last chunk: trailers (none expected), then an empty line.
                loop {
                    let mut trailer = Vec::new();
                    reader
                        .read_until(b'\n', &mut trailer)
                        .map_err(|e| e.to_string())?;
                    raw.extend_from_slice(&trailer);
                    if trailer.is_empty() || trailer == b"\r\n" || trailer == b"\n" {
                        break;
                    }
                }
                break;
            }
            reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            raw.extend_from_slice(&chunk);
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(content_length, 0);
        reader.read_exact(&mut body).map_err(|e| e.to_string())?;
        raw.extend_from_slice(&body);
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let path = parts.next().unwrap_or_default();
    let is_invocation = method == "POST"
        && path.starts_with("/2015-03-31/functions/")
        && path.ends_with("/invocations");
    Ok(Some(Request {
        raw,
        body,
        is_invocation,
    }))
}

#[cfg(test)]
// Test code: a panic with the value is the clearest failure.
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Read as _;

    use super::*;

    /// An upstream that answers every request on a connection (keep-alive) with a body
    /// naming the request's number and a Lambda-like function-error header.
    fn fake_invoke_api() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for connection in listener.incoming() {
                let Ok(connection) = connection else { continue };
                std::thread::spawn(move || {
                    let mut writer = connection.try_clone().unwrap();
                    let mut reader = BufReader::new(connection);
                    let mut number = 0;
                    while let Ok(Some(request)) = read_request(&mut reader) {
                        number += 1;
                        let body = format!("{{\"n\":{number},\"len\":{}}}", request.body.len());
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\nX-Amz-Function-Error: Unhandled\r\n\
                             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if writer.write_all(answer.as_bytes()).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        address
    }

    fn recorder() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        Recorder::start(listener, fake_invoke_api()).unwrap()
    }

    #[test]
    fn keeps_invocation_payloads_and_relays_answers_untouched() {
        let recorder = recorder();
        let agent = crate::watch::agent(std::time::Duration::from_secs(10));
        let endpoint = format!("http://{}", recorder.address());
        let first = br#"{"triggerSource":"PreSignUp_SignUp","request":{"userAttributes":{"email":"a@example.com"}}}"#;
        let second = "{\"triggerSource\":\"CustomMessage_SignUp\",\"request\":{\"x\":\"\u{e9}\"}}";
        // One agent: both invocations go over one kept-alive connection.
        let (status, body) = crate::watch::invoke(&agent, &endpoint, "pool", first).unwrap();
        assert_eq!(status, 200);
        assert_eq!(
            body,
            format!("{{\"n\":1,\"len\":{}}}", first.len()).as_bytes()
        );
        let mut answer = agent
            .post(format!("{endpoint}/2015-03-31/functions/pool/invocations"))
            .send(second)
            .unwrap();
        assert_eq!(
            answer.headers().get("x-amz-function-error").unwrap(),
            "Unhandled"
        );
        assert_eq!(
            answer.body_mut().read_to_string().unwrap(),
            format!("{{\"n\":2,\"len\":{}}}", second.len())
        );
        // Not an invocation: relayed, not kept.
        let other = agent
            .post(format!(
                "{endpoint}/2015-03-31/functions/pool/configuration"
            ))
            .send("{}")
            .unwrap();
        assert_eq!(other.status().as_u16(), 200);
        assert_eq!(
            recorder.events(),
            vec![first.to_vec(), second.as_bytes().to_vec()]
        );
    }

    #[test]
    fn reads_chunked_requests() {
        let recorder = recorder();
        let mut connection = TcpStream::connect(recorder.address()).unwrap();
        connection
            .write_all(
                b"POST /2015-03-31/functions/pool/invocations HTTP/1.1\r\nHost: x\r\n\
                  Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n[]}\r\n0\r\n\r\n",
            )
            .unwrap();
        connection.shutdown(Shutdown::Write).unwrap();
        let mut answer = String::new();
        connection.read_to_string(&mut answer).unwrap();
        assert!(answer.ends_with("{\"n\":1,\"len\":8}"), "{answer}");
        assert_eq!(recorder.events(), vec![b"{\"a\":[]}".to_vec()]);
    }

    #[test]
    fn events_become_one_line_each() {
        assert_eq!(one_line(b"{\"a\":\r\n [1,\n2]}").unwrap(), "{\"a\": [1,2]}");
        assert!(one_line(b"{\"a\":").is_err());
    }
}
