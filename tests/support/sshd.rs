//! OpenSSH's server on 127.0.0.1 for team-project tests: a real `ssh://`
//! remote with its own host key and one authorised client key, all in a
//! temporary folder, logging in as the user running the test (Git runs
//! `git-upload-pack`/`git-receive-pack` through the user's shell, as on
//! any server).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sshd {
    child: Child,
    pub port: u16,
    /// The client's private key (no passphrase), authorised on the server.
    pub key: PathBuf,
    /// A `known_hosts` line for this server.
    pub known_host: String,
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen (./verso.sh test installs openssh-client)");
    assert!(status.success(), "ssh-keygen");
}

impl Sshd {
    pub fn start(dir: &Path) -> Sshd {
        // sshd refuses to start without its privilege-separation folder.
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
        let (host, key) = (dir.join("ssh_host"), dir.join("ssh_client"));
        keygen(&host);
        keygen(&key);
        let authorized = dir.join("authorized_keys");
        std::fs::copy(key.with_extension("pub"), &authorized).expect("authorise");
        let config = dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\nStrictModes no\nUsePAM no\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n\
                 PidFile {}\n",
                host.display(),
                authorized.display(),
                dir.join("sshd.pid").display()
            ),
        )
        .expect("config");
        let child = Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd (./verso.sh test installs openssh-server)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "sshd did not start (is it run as root?)");
            std::thread::sleep(Duration::from_millis(20));
        }
        let public = std::fs::read_to_string(host.with_extension("pub")).expect("host key");
        let known_host =
            format!("[127.0.0.1]:{port} {}", public.split_whitespace().take(2).collect::<Vec<_>>().join(" "));
        Sshd { child, port, key, known_host }
    }

    /// The URL of a repository at an absolute path on this server.
    pub fn url(&self, path: &Path) -> String {
        let user = Command::new("id").arg("-un").output().expect("id");
        let user = String::from_utf8_lossy(&user.stdout).trim().to_string();
        format!("ssh://{user}@127.0.0.1:{}{}", self.port, path.display())
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
