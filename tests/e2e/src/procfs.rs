//! What `/proc` tells about processes: which ports one listens on, which children it has.
//! The harness starts WebKitWebDriver on port 0 and reads here which port the kernel gave it:
//! that port is never free between being chosen and being listened on, so nothing else can
//! take it first (binding port 0, dropping the socket and handing the number on could).

use std::collections::HashSet;

/// The IPv4 TCP ports that process `pid` itself listens on, lowest first. Empty while it has
/// not called `listen` yet, and when it is gone.
pub fn listening_ports(pid: u32) -> Vec<u16> {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    // A socket's fd links to `socket:[INODE]`; /proc/PID/net/tcp lists every socket of the
    // network namespace, so the inodes say which of them are this process's own.
    let inodes: HashSet<String> = fds
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter_map(|link| {
            let link = link.to_str()?;
            Some(link.strip_prefix("socket:[")?.strip_suffix(']')?.to_owned())
        })
        .collect();
    let table = std::fs::read_to_string(format!("/proc/{pid}/net/tcp")).unwrap_or_default();
    let mut ports: Vec<u16> = table
        .lines()
        .skip(1)
        .filter_map(|row| listening_row(row, &inodes))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// The local port of a `/proc/net/tcp` row in state LISTEN whose socket inode is in `inodes`.
fn listening_row(row: &str, inodes: &HashSet<String>) -> Option<u16> {
    // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
    let columns: Vec<&str> = row.split_whitespace().collect();
    const LISTEN: &str = "0A";
    if columns.get(3) != Some(&LISTEN) || !inodes.contains(*columns.get(9)?) {
        return None;
    }
    let (_, port) = columns.get(1)?.split_once(':')?;
    u16::from_str_radix(port, 16).ok()
}

/// A process's state letter (`R`, `S`, `Z`, ...) and parent pid; `None` once it is reaped.
pub fn state_and_parent(pid: u32) -> Option<(char, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses, so split at the last `)`.
    let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
    let state = rest.next()?.chars().next()?;
    let parent = rest.next()?.parse().ok()?;
    Some((state, parent))
}

/// Whether `pid` runs (not gone, not a zombie waiting to be reaped).
pub fn is_alive(pid: u32) -> bool {
    state_and_parent(pid).is_some_and(|(state, _)| state != 'Z')
}

/// The live (non-zombie) children of `pid`, lowest pid first.
pub fn live_children(pid: u32) -> Vec<u32> {
    let mut children: Vec<u32> = child_pids(pid)
        .into_iter()
        .filter(|child| {
            state_and_parent(*child).is_some_and(|(state, parent)| parent == pid && state != 'Z')
        })
        .collect();
    children.sort_unstable();
    children.dedup();
    children
}

/// Candidates for `pid`'s children: each thread's `children` list, which is cheap to poll;
/// every process when the kernel lacks those lists (CONFIG_PROC_CHILDREN).
fn child_pids(pid: u32) -> Vec<u32> {
    let numbers = |text: String| -> Vec<u32> {
        text.split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect()
    };
    if std::path::Path::new(&format!("/proc/{pid}/task/{pid}/children")).exists() {
        let Ok(threads) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return Vec::new();
        };
        return threads
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("children")).ok())
            .flat_map(numbers)
            .collect();
    }
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn finds_our_own_listener_and_not_a_connection() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let client_port = client.local_addr().unwrap().port();
        let ports = listening_ports(std::process::id());
        assert!(ports.contains(&port), "{port} not in {ports:?}");
        assert!(!ports.contains(&client_port), "{client_port} in {ports:?}");
    }

    #[test]
    fn sees_a_child_until_it_is_reaped() {
        let mut child = std::process::Command::new("cat")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        assert!(live_children(std::process::id()).contains(&pid));
        assert_eq!(
            state_and_parent(pid).map(|(_, p)| p),
            Some(std::process::id())
        );
        drop(child.stdin.take()); // cat exits at end of input
        child.wait().unwrap();
        assert!(!is_alive(pid));
        assert!(!live_children(std::process::id()).contains(&pid));
    }

    #[test]
    fn parses_a_listen_row() {
        let inodes = HashSet::from(["91908".to_owned()]);
        let listen = "   0: 0100007F:8DB1 00000000:0000 0A 00000000:00000000 00:00000000 \
                      00000000     0        0 91908 1 0000000000000000 100 0 0 10 0";
        assert_eq!(listening_row(listen, &inodes), Some(0x8DB1));
        let established = listen.replacen(" 0A ", " 01 ", 1);
        assert_eq!(listening_row(&established, &inodes), None);
        assert_eq!(listening_row(listen, &HashSet::new()), None);
    }
}
