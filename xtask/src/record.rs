//! `cargo xtask record`: the end-to-end test (`e2e.rs`) with a recorder between
//! cognito-local and `cargo lambda watch`, keeping every event cognito-local sends the pool,
//! byte for byte, in `tests/events/e2e.jsonl`.
//!
//! The recorder is a plain TCP relay on 127.0.0.1: cognito-local's Lambda client talks to it
//! as it would to the Invoke API, it passes every byte on to the `cargo lambda watch` that
//! serves the function named in the request's path (each function has its own: the pool, the
//! custom senders) and every byte of the answers back, and it reads the requests as they pass
//! to keep the body of each `POST /2015-03-31/functions/{name}/invocations`. Nothing in the
//! pool, the examples or the runtime knows it is there. The end-to-end test also uses it
//! without recording, as the router between one cognito-local and several functions.

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
    /// Relays connections made to `listener`: each request to the upstream that `routes`
    /// gives for the function it names, the others to `upstream`.
    pub(crate) fn start(
        listener: TcpListener,
        upstream: SocketAddr,
        routes: &[(&str, SocketAddr)],
    ) -> Result<Self, String> {
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let events = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let routes: Arc<Vec<(String, SocketAddr)>> = Arc::new(
            routes
                .iter()
                .map(|(name, address)| ((*name).to_owned(), *address))
                .collect(),
        );
        let accept = {
            let (events, stop) = (Arc::clone(&events), Arc::clone(&stop));
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let (events, routes) = (Arc::clone(&events), Arc::clone(&routes));
                    std::thread::spawn(move || {
                        let route = |function: Option<&str>| {
                            routes
                                .iter()
                                .find(|(name, _)| Some(name.as_str()) == function)
                                .map_or(upstream, |(_, address)| *address)
                        };
                        if let Err(error) = relay(client, &route, &events) {
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

/// One connection to an upstream, whose answers a thread copies to the client untouched.
struct Upstream {
    address: SocketAddr,
    stream: TcpStream,
    /// Set when the relay closes this connection itself (the client stays open).
    closing: Arc<AtomicBool>,
    answers: JoinHandle<()>,
}

impl Upstream {
    fn open(address: SocketAddr, client: &TcpStream) -> Result<Self, String> {
        let stream =
            TcpStream::connect(address).map_err(|e| format!("cannot reach {address}: {e}"))?;
        let closing = Arc::new(AtomicBool::new(false));
        let answers = {
            let (mut from, mut to) = (
                stream.try_clone().map_err(|e| e.to_string())?,
                client.try_clone().map_err(|e| e.to_string())?,
            );
            let closing = Arc::clone(&closing);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut from, &mut to);
                // The upstream closed the connection: so does the relay, towards the client.
                if !closing.load(Ordering::SeqCst) {
                    let _ = to.shutdown(Shutdown::Write);
                }
            })
        };
        Ok(Self {
            address,
            stream,
            closing,
            answers,
        })
    }

    /// Closes the connection once its last answer went through: the client sends a request
    /// only after the answer to the one before (no pipelining), so nothing is in flight.
    fn close(self) {
        self.closing.store(true, Ordering::SeqCst);
        let _ = self.stream.shutdown(Shutdown::Both);
        let _ = self.answers.join();
    }
}

/// Relays one client connection: each request (read to keep invocation payloads) to the
/// upstream `route` gives for the function it names, answers back untouched.
fn relay(
    client: TcpStream,
    route: &dyn Fn(Option<&str>) -> SocketAddr,
    events: &Mutex<Vec<Vec<u8>>>,
) -> Result<(), String> {
    let mut requests = BufReader::new(client.try_clone().map_err(|e| e.to_string())?);
    let mut current: Option<Upstream> = None;
    let result = loop {
        let request = match read_request(&mut requests) {
            Ok(Some(request)) => request,
            Ok(None) => break Ok(()),
            Err(error) => break Err(error),
        };
        if request.is_invocation
            && let Ok(mut events) = events.lock()
        {
            events.push(request.body.clone());
        }
        let address = route(request.function.as_deref());
        let up = match current.take() {
            Some(up) if up.address == address => up,
            other => {
                if let Some(previous) = other {
                    previous.close();
                }
                match Upstream::open(address, &client) {
                    Ok(up) => up,
                    Err(error) => break Err(error),
                }
            }
        };
        let mut stream = &up.stream;
        let written = stream.write_all(&request.raw);
        current = Some(up);
        if let Err(error) = written {
            break Err(format!("cannot pass a request on: {error}"));
        }
    };
    if let Some(up) = current {
        // Lets the last answer through before closing.
        let _ = up.stream.shutdown(Shutdown::Write);
        let _ = up.answers.join();
    }
    let _ = client.shutdown(Shutdown::Write);
    result
}

/// One HTTP/1.1 request as it came (`raw`) and its decoded body.
struct Request {
    raw: Vec<u8>,
    body: Vec<u8>,
    is_invocation: bool,
    /// The function named in the path (`/2015-03-31/functions/{name}/...`).
    function: Option<String>,
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
    let function = path
        .strip_prefix("/2015-03-31/functions/")
        .and_then(|rest| rest.split('/').next())
        .map(str::to_owned);
    Ok(Some(Request {
        raw,
        body,
        is_invocation,
        function,
    }))
}

#[cfg(test)]
// Test code: a panic with the value is the clearest failure.
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Read as _;

    use super::*;

    /// An upstream that answers every request on a connection (keep-alive) with a body
    /// naming the request's number, a Lambda-like function-error header and its `name`.
    fn fake_invoke_api(name: &'static str) -> SocketAddr {
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
                             X-Upstream: {name}\r\n\
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
        Recorder::start(listener, fake_invoke_api("pool"), &[]).unwrap()
    }

    #[test]
    fn routes_each_request_by_the_function_it_names() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let senders = fake_invoke_api("senders");
        let recorder =
            Recorder::start(listener, fake_invoke_api("pool"), &[("senders", senders)]).unwrap();
        let agent = crate::watch::agent(std::time::Duration::from_secs(10));
        let endpoint = format!("http://{}", recorder.address());
        // One agent, so one kept-alive connection from the client for all of them.
        let mut served = Vec::new();
        for (function, event) in [
            ("pool", "{}"),
            ("senders", "[]"),
            ("senders", "1"),
            ("pool", "2"),
        ] {
            let mut answer = agent
                .post(format!(
                    "{endpoint}/2015-03-31/functions/{function}/invocations"
                ))
                .send(event)
                .unwrap();
            let upstream = answer
                .headers()
                .get("x-upstream")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            let body = answer.body_mut().read_to_string().unwrap();
            served.push((upstream, body));
        }
        let expected = [
            ("pool", "{\"n\":1,\"len\":2}"),
            ("senders", "{\"n\":1,\"len\":2}"),
            ("senders", "{\"n\":2,\"len\":1}"),
            ("pool", "{\"n\":1,\"len\":1}"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(u, b)| ((*u).to_owned(), (*b).to_owned()))
            .collect();
        assert_eq!(served, expected);
        assert_eq!(recorder.events().len(), 4);
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
