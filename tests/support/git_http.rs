//! Git's smart HTTP protocol on 127.0.0.1 behind Basic authentication, for
//! team-project tests: a small server that checks the `Authorization`
//! header and hands each request to `git http-backend` (CGI), as a Gitea or
//! an Apache in front of Git would.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct GitHttp {
    pub port: u16,
}

impl GitHttp {
    /// Serves the repositories under `root` to user `user` with password `token`.
    pub fn start(root: &Path, user: &str, token: &str) -> GitHttp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("port");
        let port = listener.local_addr().expect("addr").port();
        let expected = format!("Basic {}", base64(format!("{user}:{token}").as_bytes()));
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let (root, expected) = (root.clone(), expected.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &root, &expected);
                });
            }
        });
        GitHttp { port }
    }

    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }
}

fn serve(stream: TcpStream, root: &PathBuf, expected: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        let mut parts = request.split_whitespace();
        let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
        let mut body = Vec::new();
        if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size)?;
                let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
            body.resize(length, 0);
            reader.read_exact(&mut body)?;
        }
        if header("authorization").as_deref() != Some(expected) {
            let refusal =
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"team\"\r\nContent-Length: 0\r\n\r\n";
            stream.write_all(refusal.as_bytes())?;
            continue;
        }
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let exec_path = Command::new("git").arg("--exec-path").output()?;
        let exec_path = String::from_utf8_lossy(&exec_path.stdout).trim().to_string();
        let mut backend = Command::new(Path::new(&exec_path).join("git-http-backend"))
            .env("GIT_PROJECT_ROOT", root)
            .env("GIT_HTTP_EXPORT_ALL", "1")
            .env("REQUEST_METHOD", &method)
            .env("PATH_INFO", path)
            .env("QUERY_STRING", query)
            .env("CONTENT_TYPE", header("content-type").unwrap_or_default())
            .env("CONTENT_LENGTH", body.len().to_string())
            .env("REMOTE_USER", "verso")
            .env("REMOTE_ADDR", "127.0.0.1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        backend.stdin.take().expect("stdin").write_all(&body)?;
        let output = backend.wait_with_output()?;
        let split = output.stdout.windows(4).position(|w| w == b"\r\n\r\n").map(|at| (at, 4));
        let split = split.or_else(|| output.stdout.windows(2).position(|w| w == b"\n\n").map(|at| (at, 2)));
        let (head, content) = match split {
            Some((at, gap)) => (String::from_utf8_lossy(&output.stdout[..at]).to_string(), &output.stdout[at + gap..]),
            None => (String::new(), &output.stdout[..]),
        };
        let mut status = "200 OK".to_string();
        let mut reply = String::new();
        for line in head.lines() {
            match line.split_once(':') {
                Some((name, value)) if name.eq_ignore_ascii_case("status") => status = value.trim().to_string(),
                Some(_) => reply.push_str(&format!("{line}\r\n")),
                None => {}
            }
        }
        stream
            .write_all(format!("HTTP/1.1 {status}\r\n{reply}Content-Length: {}\r\n\r\n", content.len()).as_bytes())?;
        stream.write_all(content)?;
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
