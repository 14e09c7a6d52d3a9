//! A private desktop keyring for tests: a D-Bus session bus of its own and
//! GNOME Keyring's Secret Service on it, unlocked with a throw-away
//! password and keeping its files in a temporary folder. Commands run with
//! `env()` store and read secrets there, as on a translator's desktop,
//! without touching the machine's own keyring.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct SecretService {
    bus: Child,
    keyring: Child,
    address: String,
    data: String,
}

impl SecretService {
    pub fn start(dir: &Path) -> SecretService {
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", dir.join("bus").display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (./verso.sh test installs dbus)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("stdout")).read_line(&mut address).expect("bus address");
        let address = address.trim().to_string();
        let data = dir.join("data").to_string_lossy().into_owned();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (./verso.sh test installs gnome-keyring)");
        keyring.stdin.take().expect("stdin").write_all(b"throw-away").expect("unlock");
        let service = SecretService { bus, keyring, address, data };
        service.wait_until_served();
        service
    }

    /// The variables a command needs to find this keyring.
    pub fn env(&self) -> [(&'static str, &str); 2] {
        [("DBUS_SESSION_BUS_ADDRESS", &self.address), ("XDG_DATA_HOME", &self.data)]
    }

    fn wait_until_served(&self) {
        let started = std::time::Instant::now();
        loop {
            let owned = Command::new("dbus-send")
                .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
                .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .output()
                .expect("dbus-send");
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                return;
            }
            assert!(started.elapsed().as_secs() < 10, "the Secret Service did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
