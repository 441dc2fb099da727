//! Writing files that hold secrets: atomically (temp file in the same directory, fsync, rename)
//! and readable by the owner only (mode 0600 from the moment the temp file exists).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Whether an existing file at the destination may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse with a `Conflict` error naming the file, so the shell can ask first.
    Refuse,
    Replace,
}

/// Write `bytes` to `path` atomically with mode 0600. A symlink at `path` is written through:
/// its target is replaced and the link stays. With `Refuse`, an existing file is never
/// replaced, not even one that appears while we write (the file is linked in, which fails if
/// the name is taken, rather than checked and then renamed over).
pub fn write_private(path: &Path, bytes: &[u8], overwrite: Overwrite) -> Result<()> {
    let target = resolve_link(path)?;
    let dir = parent_dir(&target);
    create_private_dir(&dir)?;
    let tmp = temp_path(&target);
    let result = (|| -> std::io::Result<()> {
        let mut file = open_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        match overwrite {
            Overwrite::Replace => fs::rename(&tmp, &target)?,
            Overwrite::Refuse => {
                fs::hard_link(&tmp, &target)?;
                fs::remove_file(&tmp)?;
            }
        }
        // Make the new name itself durable.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(Error::Conflict {
                message: format!(
                    "{} already exists; confirm to replace it or choose another name",
                    path.display()
                ),
                detail: None,
            });
        }
        return Err(Error::io(&format!("could not write {}", path.display()), e));
    }
    Ok(())
}

/// Create `dir` and any missing parents, readable by the owner only (0700): the folders Keyrack
/// makes hold secrets or point at them. Folders that already exist are left as they are.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Error::io(&format!("could not create {}", dir.display()), e))
}

/// Read a text file, change it and write it back — privately, atomically, through a symlink —
/// while holding a lock next to it, so two Keyrack writers take turns. A change made by another
/// program between the read and the write (which takes no lock) is noticed: the file is read
/// again and `change` runs again, up to three times, then the caller hears of the conflict.
/// `change` gets the current text (empty when the file is missing) and returns the new text.
pub fn update_text(path: &Path, mut change: impl FnMut(&str) -> Result<String>) -> Result<()> {
    let target = resolve_link(path)?;
    let dir = parent_dir(&target);
    create_private_dir(&dir)?;
    let lock_path = dir.join(format!(
        ".{}.keyrack-lock",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let lock = open_lock(&lock_path)?;
    lock.lock()
        .map_err(|e| Error::io(&format!("could not lock {}", lock_path.display()), e))?;
    let read = || match fs::read_to_string(&target) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::io(&format!("could not read {}", path.display()), e)),
    };
    for _ in 0..3 {
        let before = read()?;
        let after = change(&before)?;
        if read()? != before {
            // Another program wrote meanwhile: start again from what it wrote.
            continue;
        }
        return write_private(&target, after.as_bytes(), Overwrite::Replace);
    }
    Err(Error::Conflict {
        message: format!(
            "{} kept changing while Keyrack was updating it; close what is editing it and try \
             again",
            path.display()
        ),
        detail: None,
    })
}

/// Where writing `path` really goes: the final target of a chain of symlinks (relative targets
/// resolved against the link's folder); `path` itself when it is not a link or does not exist.
fn resolve_link(path: &Path) -> Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&current).map_err(|e| {
                    Error::io(&format!("could not read the link {}", current.display()), e)
                })?;
                current = parent_dir(&current).join(next);
            }
            _ => return Ok(current),
        }
    }
    Err(Error::Conflict {
        message: format!("{} is a loop of symbolic links", path.display()),
        detail: None,
    })
}

fn open_lock(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| Error::io(&format!("could not open {}", path.display()), e))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "keyrack".into());
    let salt: u32 = rand::random();
    parent_dir(path).join(format!(".{name}.{salt:08x}.tmp"))
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn writes_with_mode_0600_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("key.pem");
        write_private(&path, b"one", Overwrite::Refuse).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"one");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        let err = write_private(&path, b"two", Overwrite::Refuse).unwrap_err();
        assert_eq!(err.code(), crate::Code::Conflict);
        assert_eq!(
            fs::read(&path).unwrap(),
            b"one",
            "refused write must not touch the file"
        );

        write_private(&path, b"two", Overwrite::Replace).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        // No temp files left behind.
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700, "a folder Keyrack creates is private");
    }

    /// Refusing is one atomic step: a file that appears after any check is still not replaced.
    #[test]
    fn refusing_never_replaces_a_file_that_appears_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apikey.json");
        for round in 0..50 {
            let racer_path = path.clone();
            let racer = std::thread::spawn(move || {
                let _ = fs::write(&racer_path, b"theirs");
            });
            let ours = write_private(&path, b"ours", Overwrite::Refuse);
            racer.join().unwrap();
            let now = fs::read(&path).unwrap();
            if ours.is_ok() {
                // We linked first; their plain write then replaced the content, or not.
                assert!(now == b"ours" || now == b"theirs", "round {round}");
            } else {
                assert_eq!(
                    now, b"theirs",
                    "round {round}: a refused write left the file alone"
                );
            }
            fs::remove_file(&path).unwrap();
        }
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert!(leftovers.is_empty(), "no temp files: {leftovers:?}");
    }

    #[test]
    fn a_symlink_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles").join("oci-config");
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        fs::write(&real, b"[DEFAULT]\n").unwrap();
        let link = dir.path().join("config");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_private(&link, b"[DEFAULT]\nuser=u\n", Overwrite::Replace).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"[DEFAULT]\nuser=u\n");
    }

    #[test]
    fn an_update_starts_again_from_a_change_made_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "[A]\n").unwrap();
        let mut calls = 0;
        update_text(&path, |text| {
            calls += 1;
            if calls == 1 {
                // Another program edits the file while we are working on our copy.
                fs::write(&path, "[A]\n[THEIRS]\n").unwrap();
            }
            Ok(format!("{text}[OURS]\n"))
        })
        .unwrap();
        assert_eq!(calls, 2);
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[A]\n[THEIRS]\n[OURS]\n"
        );
    }

    #[test]
    fn concurrent_updates_take_turns_and_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = std::sync::Arc::new(dir.path().join("config"));
        let writers: Vec<_> = (0..8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    update_text(&path, |text| Ok(format!("{text}[P{i}]\n"))).unwrap()
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        let text = fs::read_to_string(&*path).unwrap();
        for i in 0..8 {
            assert!(text.contains(&format!("[P{i}]")), "{text}");
        }
    }

    #[test]
    fn replacing_a_world_readable_file_leaves_it_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"new", Overwrite::Replace).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
