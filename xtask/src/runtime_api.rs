//! A minimal Lambda Runtime API, to start a function binary as Lambda does and time it
//! without an emulator in between: process start → first `next` request (init) → first
//! response posted (first invocation).
//!
//! It speaks just enough HTTP/1.1 for `lambda_runtime`'s client: requests with a
//! `Content-Length` or a chunked body, on keep-alive connections, as many as the client
//! opens (a thread reads each).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long a function may take to ask for its first event or to answer it.
const PATIENCE: Duration = Duration::from_secs(30);

/// What one start of a function took.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ColdStart {
    /// Process start → its first `GET …/invocation/next`.
    pub(crate) init: Duration,
    /// Process start → its answer to the first event posted.
    pub(crate) first_response: Duration,
}

/// A function process, started against a Runtime API of ours.
pub(crate) struct Function {
    child: Child,
    started: Instant,
    /// Requests as they arrive, on whichever connection: the client may open a new one
    /// while an idle one is still open.
    requests: Receiver<(Request, TcpStream)>,
    /// The connection the request being answered came on.
    answering: Option<TcpStream>,
    /// Tells the accepting thread to stop.
    stop: Arc<AtomicBool>,
    served: u64,
}

impl Function {
    /// Starts `binary` with the environment Lambda gives a function.
    pub(crate) fn start(binary: &Path) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let (sender, requests) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || accept_connections(&listener, &sender, &stopped));
        let name = binary
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("function");
        let started = Instant::now();
        let child = Command::new(binary)
            .env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
            .env("AWS_REGION", "eu-west-1")
            .env("AWS_LAMBDA_LOG_LEVEL", "ERROR")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        Ok(Self {
            child,
            started,
            requests,
            answering: None,
            stop,
            served: 0,
        })
    }

    /// Answers the function's next `next` request with `event`, and waits for its answer:
    /// the times (from process start) when the request came and when the answer came.
    pub(crate) fn invoke(&mut self, event: &[u8]) -> Result<(Duration, Duration), String> {
        let next = self.request()?;
        if !next.path.ends_with("/invocation/next") {
            return Err(format!(
                "expected a next request, got {} {}",
                next.method, next.path
            ));
        }
        let asked = self.started.elapsed();
        self.served += 1;
        let request_id = format!("bench-{}", self.served);
        let deadline = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_millis()
            + 300_000;
        self.respond(
            200,
            &[
                ("Lambda-Runtime-Aws-Request-Id", request_id.as_str()),
                ("Lambda-Runtime-Deadline-Ms", &deadline.to_string()),
                (
                    "Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:eu-west-1:123456789012:function:bench",
                ),
                (
                    "Lambda-Runtime-Trace-Id",
                    "Root=1-00000000-000000000000000000000000",
                ),
                ("Content-Type", "application/json"),
            ],
            event,
        )?;
        let answer = self.request()?;
        let answered = self.started.elapsed();
        self.respond(202, &[], b"")?;
        if answer.path != format!("/2018-06-01/runtime/invocation/{request_id}/response") {
            return Err(format!(
                "the function answered {} {}: {}",
                answer.method,
                answer.path,
                String::from_utf8_lossy(&answer.body)
            ));
        }
        Ok((asked, answered))
    }

    /// The process's peak resident set (`VmHWM`), in KiB.
    pub(crate) fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// The next request the function sends, on any of its connections.
    fn request(&mut self) -> Result<Request, String> {
        let waited = Instant::now();
        loop {
            match self.requests.recv_timeout(Duration::from_millis(50)) {
                Ok((request, stream)) => {
                    self.answering = Some(stream);
                    return Ok(request);
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Ok(Some(status)) = self.child.try_wait() {
                        return Err(format!("the function exited: {status}"));
                    }
                    if waited.elapsed() > PATIENCE {
                        return Err("the function sent no request".to_owned());
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err("the Runtime API stopped".to_owned());
                }
            }
        }
    }

    fn respond(
        &mut self,
        status: u16,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<(), String> {
        let stream = self.answering.as_mut().ok_or("no request to answer")?;
        let reason = if status == 200 { "OK" } else { "Accepted" };
        let mut head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body))
            .and_then(|()| stream.flush())
            .map_err(|e| e.to_string())
    }
}

/// Accepts the function's connections until told to stop; each connection's requests go
/// to `sender`, with the stream to answer them on.
fn accept_connections(
    listener: &TcpListener,
    sender: &Sender<(Request, TcpStream)>,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let sender = sender.clone();
                std::thread::spawn(move || serve_connection(stream, &sender));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_micros(200));
            }
            Err(_) => return,
        }
    }
}

/// Reads one connection's requests until it closes.
fn serve_connection(stream: TcpStream, sender: &Sender<(Request, TcpStream)>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_nodelay(true);
    let Ok(writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Ok(Some(request)) = read_request(&mut reader) {
        let Ok(answer_on) = writer.try_clone() else {
            return;
        };
        if sender.send((request, answer_on)).is_err() {
            return;
        }
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
}

/// One HTTP/1.1 request, or `None` when the peer closed the connection first.
fn read_request(connection: &mut BufReader<TcpStream>) -> Result<Option<Request>, String> {
    let mut line = String::new();
    if connection.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut length = 0;
    let mut chunked = false;
    loop {
        let mut header = String::new();
        connection
            .read_line(&mut header)
            .map_err(|e| e.to_string())?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value
                    .parse()
                    .map_err(|_| format!("bad Content-Length {value}"))?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            connection.read_line(&mut size).map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|e| e.to_string())?;
            let mut chunk = vec![0; size + 2];
            connection
                .read_exact(&mut chunk)
                .map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        connection
            .read_exact(&mut body)
            .map_err(|e| e.to_string())?;
    }
    Ok(Some(Request { method, path, body }))
}

/// Starts `binary`, serves it one event, and stops it.
pub(crate) fn cold_start(binary: &Path, event: &[u8]) -> Result<ColdStart, String> {
    let mut function = Function::start(binary)?;
    let (init, first_response) = function.invoke(event)?;
    Ok(ColdStart {
        init,
        first_response,
    })
}
