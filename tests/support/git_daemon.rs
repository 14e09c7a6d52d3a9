//! `git daemon` on 127.0.0.1 for team-project tests: a real Git remote
//! over the network protocol. Started as `git-daemon` itself (from `git
//! --exec-path`), because `git daemon` runs it as a child that killing
//! `git` would leave behind.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Daemon {
    child: Child,
    pub port: u16,
}

impl Daemon {
    /// Serves the repositories under `base` on `port` (0: a free one);
    /// pushes only when `receive_pack`.
    pub fn start(base: &Path, port: u16, receive_pack: bool) -> Daemon {
        let port = match port {
            0 => std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port(),
            port => port,
        };
        let exec_path = Command::new("git").arg("--exec-path").output().expect("git (./verso.sh test installs it)");
        let exec_path = String::from_utf8_lossy(&exec_path.stdout).trim().to_string();
        let mut command = Command::new(Path::new(&exec_path).join("git-daemon"));
        command.args(["--export-all", "--reuseaddr", "--listen=127.0.0.1"]);
        if receive_pack {
            command.arg("--enable=receive-pack");
        }
        command
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().expect("git-daemon");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "git daemon did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Daemon { child, port }
    }

    pub fn url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
