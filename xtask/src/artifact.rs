//! `cargo xtask artifact`: the example pool built as Lambda runs it, with `cargo lambda build
//! --release` for arm64 and x86-64, and each `bootstrap` checked: an ELF executable for the
//! right machine that needs no glibc newer than Amazon Linux 2023's (`provided.al2023`).
//!
//! cargo-lambda cross-compiles with Zig; the step installs Zig from PyPI (`ziglang`) into
//! `target/tools/zig` and points cargo-lambda at it, and adds the Rust standard library for
//! the other architecture with rustup (cargo-lambda would do the same, less visibly). That
//! library comes from Rust's distribution server, not a package registry: on a machine
//! that cannot reach it and does not have it, the architecture is reported NOT CHECKED and
//! the others are still built and checked.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use object::elf;
use object::read::elf::{ElfFile64, FileHeader as _, ProgramHeader as _};
use object::{Endianness, Object as _};

/// The Zig release cargo-lambda cross-compiles with (pinned: it decides the linker).
const ZIGLANG_VERSION: &str = "0.17.1";

/// The newest glibc a `provided.al2023` function may need: Amazon Linux 2023 has 2.34.
const NEWEST_GLIBC: GlibcVersion = GlibcVersion(2, 34);

/// One architecture Lambda runs.
struct Architecture {
    /// The template's `Architecture` parameter value, and the output directory's name.
    name: &'static str,
    /// cargo lambda build's flag for it.
    flag: &'static str,
    /// The Rust target it builds.
    target: &'static str,
    /// The ELF machine its `bootstrap` must have.
    machine: elf::Machine,
    /// glibc's dynamic loader on that machine, which the `bootstrap` must ask for.
    interpreter: &'static str,
}

const ARCHITECTURES: &[Architecture] = &[
    Architecture {
        name: "arm64",
        flag: "--arm64",
        target: "aarch64-unknown-linux-gnu",
        machine: elf::EM_AARCH64,
        interpreter: "/lib/ld-linux-aarch64.so.1",
    },
    Architecture {
        name: "x86_64",
        flag: "--x86-64",
        target: "x86_64-unknown-linux-gnu",
        machine: elf::EM_X86_64,
        interpreter: "/lib64/ld-linux-x86-64.so.2",
    },
];

/// The shared libraries glibc itself is made of: all a `bootstrap` may need, since
/// `provided.al2023` promises little else.
const GLIBC_LIBRARIES: &[&str] = &[
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libutil.so.1",
    "ld-linux-aarch64.so.1",
    "ld-linux-x86-64.so.2",
];

/// A glibc symbol version, `GLIBC_2.34` as `(2, 34)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GlibcVersion(u32, u32);

impl std::fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

impl GlibcVersion {
    /// `GLIBC_2.34` (or `GLIBC_2.2.5`: the third number never matters here).
    fn parse(name: &str) -> Option<Self> {
        let mut numbers = name.strip_prefix("GLIBC_")?.split('.');
        let major = numbers.next()?.parse().ok()?;
        let minor = numbers.next()?.parse().ok()?;
        Some(Self(major, minor))
    }
}

/// What a `bootstrap` is: its ELF machine, dynamic loader, the shared libraries and the
/// newest glibc version it needs.
#[derive(Debug)]
pub(crate) struct Bootstrap {
    pub(crate) machine: elf::Machine,
    pub(crate) interpreter: Option<String>,
    pub(crate) libraries: Vec<String>,
    pub(crate) newest_glibc: Option<GlibcVersion>,
}

/// Reads an executable's ELF header and the glibc versions its dynamic symbols need
/// (`.gnu.version_r`, what the dynamic loader checks at start-up).
pub(crate) fn inspect(path: &Path) -> Result<Bootstrap, String> {
    let data = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file = ElfFile64::<Endianness>::parse(&*data)
        .map_err(|e| format!("{} is not a 64-bit ELF file: {e}", path.display()))?;
    if file.kind() != object::ObjectKind::Executable && file.kind() != object::ObjectKind::Dynamic {
        return Err(format!("{} is not an executable", path.display()));
    }
    let endian = file.endian();
    let machine = file.elf_header().e_machine(endian);
    let sections = file.elf_section_table();
    let mut newest_glibc = None;
    if let Some((mut needed, link)) = sections
        .gnu_verneed(endian, &*data)
        .map_err(|e| format!("unreadable version needs: {e}"))?
    {
        let strings = sections
            .strings(endian, &*data, link)
            .map_err(|e| format!("unreadable version names: {e}"))?;
        while let Some((_library, mut versions)) = needed
            .next()
            .map_err(|e| format!("unreadable version need: {e}"))?
        {
            while let Some(version) = versions
                .next()
                .map_err(|e| format!("unreadable version: {e}"))?
            {
                let name = version
                    .name(endian, strings)
                    .map_err(|e| format!("unreadable version name: {e}"))?;
                let glibc = GlibcVersion::parse(&String::from_utf8_lossy(name));
                newest_glibc = newest_glibc.max(glibc);
            }
        }
    }
    let dynamic = sections
        .dynamic_table(endian, &*data)
        .map_err(|e| format!("unreadable dynamic section: {e}"))?;
    let mut libraries = Vec::new();
    for entry in dynamic.iter().filter(|entry| entry.tag == elf::DT_NEEDED) {
        let name = dynamic
            .string(entry)
            .map_err(|e| format!("unreadable library name: {e}"))?;
        libraries.push(String::from_utf8_lossy(name).into_owned());
    }
    let mut interpreter = None;
    for segment in file.elf_program_headers() {
        if let Some(path) = segment
            .interpreter(endian, &*data)
            .map_err(|e| format!("unreadable interpreter: {e}"))?
        {
            interpreter = Some(String::from_utf8_lossy(path).into_owned());
        }
    }
    Ok(Bootstrap {
        machine,
        interpreter,
        libraries,
        newest_glibc,
    })
}

/// Checks a `bootstrap` against what Lambda's `provided.al2023` on `machine` runs.
pub(crate) fn check(
    bootstrap: &Bootstrap,
    machine: elf::Machine,
    interpreter: &str,
    newest: GlibcVersion,
) -> Result<(), String> {
    if bootstrap.machine != machine {
        return Err(format!(
            "built for ELF machine {:?}, not {machine:?}",
            bootstrap.machine
        ));
    }
    if bootstrap.interpreter.as_deref() != Some(interpreter) {
        return Err(format!(
            "asks for the dynamic loader {:?}, not glibc's {interpreter}",
            bootstrap.interpreter
        ));
    }
    let others: Vec<&String> = (bootstrap.libraries.iter())
        .filter(|library| !GLIBC_LIBRARIES.contains(&library.as_str()))
        .collect();
    if !others.is_empty() {
        return Err(format!("needs shared libraries beyond glibc: {others:?}"));
    }
    match bootstrap.newest_glibc {
        Some(needed) if needed > newest => Err(format!(
            "needs glibc {needed}, newer than Amazon Linux 2023's {newest}"
        )),
        _ => Ok(()),
    }
}

/// Zig from PyPI in its own virtual environment; returns its Python, for cargo-zigbuild's
/// `python -m ziglang`.
fn ensure_zig(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/tools/zig");
    let python = venv.join("bin/python3");
    let installed = Command::new(&python)
        .args(["-m", "ziglang", "version"])
        .output();
    if installed.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == ZIGLANG_VERSION) {
        println!("    zig {ZIGLANG_VERSION} already installed");
        return Ok(python);
    }
    let system_python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    crate::exec(Command::new(system_python).args(["-m", "venv"]).arg(&venv))?;
    crate::exec(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("ziglang=={ZIGLANG_VERSION}")),
    )?;
    println!(
        "    installed zig {ZIGLANG_VERSION} (ziglang) in {}",
        venv.display()
    );
    Ok(python)
}

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let zig_python = ensure_zig(root)?;
    let target_dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let mut checked = 0;
    for architecture in ARCHITECTURES {
        // The Rust standard library for the target comes from Rust's distribution server,
        // not a package registry: where it cannot be fetched, this architecture is not
        // checked, and the run says so.
        if let Err(why) = ensure_rust_target(architecture.target) {
            println!(
                "    {}: NOT CHECKED: the Rust standard library for {} is not installed and \
                 cannot be fetched here ({why}); `rustup target add {}` where Rust's \
                 distribution server is reachable",
                architecture.name, architecture.target, architecture.target
            );
            continue;
        }
        checked += 1;
        let lambda_dir = target_dir.join("lambda").join(architecture.name);
        let started = Instant::now();
        crate::exec(
            Command::new("cargo")
                .args(["lambda", "build", "--release", architecture.flag])
                .args(["--bin", "pool", "--lambda-dir"])
                .arg(&lambda_dir)
                .env("CARGO_ZIGBUILD_PYTHON_PATH", &zig_python)
                .current_dir(root.join("examples")),
        )?;
        let took = started.elapsed();
        let path = lambda_dir.join("pool/bootstrap");
        let bootstrap = inspect(&path)?;
        check(
            &bootstrap,
            architecture.machine,
            architecture.interpreter,
            NEWEST_GLIBC,
        )
        .map_err(|problem| format!("{}: {problem}", path.display()))?;
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        println!(
            "    {}: {} ({:.1} MB), an ELF executable for {} (machine {:?}) loaded by {}, needing {} and glibc {} at most (Amazon Linux 2023 has {NEWEST_GLIBC}); built in {:.0} s",
            architecture.name,
            path.display(),
            size as f64 / 1e6,
            architecture.target,
            bootstrap.machine,
            architecture.interpreter,
            bootstrap.libraries.join(", "),
            bootstrap
                .newest_glibc
                .map_or_else(|| "none".to_owned(), |v| v.to_string()),
            took.as_secs_f64(),
        );
    }
    if checked == 0 {
        return Err("no architecture could be built".to_owned());
    }
    Ok(())
}

/// Makes sure the standard library for `target` is installed (rustup).
fn ensure_rust_target(target: &str) -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout)
        .lines()
        .any(|line| line.trim() == target)
    {
        return Ok(());
    }
    let added = Command::new("rustup")
        .args(["target", "add", target])
        .output()
        .map_err(|e| format!("rustup: {e}"))?;
    if added.status.success() {
        Ok(())
    } else {
        let error = String::from_utf8_lossy(&added.stderr);
        Err(error
            .lines()
            .last()
            .unwrap_or("rustup target add failed")
            .trim()
            .to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic with the value is the clearest failure
mod tests {
    use super::*;

    #[test]
    fn glibc_versions_parse_and_order() {
        assert_eq!(GlibcVersion::parse("GLIBC_2.34"), Some(GlibcVersion(2, 34)));
        assert_eq!(GlibcVersion::parse("GLIBC_2.2.5"), Some(GlibcVersion(2, 2)));
        assert_eq!(GlibcVersion::parse("GCC_3.0"), None);
        assert!(GlibcVersion(2, 34) > GlibcVersion(2, 4));
    }

    /// This test's own executable is a glibc ELF for the host: the reader finds its machine,
    /// loader, libraries and glibc needs; the check refuses another machine, another loader,
    /// an older glibc and a library beyond glibc's.
    #[test]
    fn reads_and_checks_a_real_executable() {
        let read = inspect(&std::env::current_exe().unwrap()).unwrap();
        let host = ARCHITECTURES
            .iter()
            .find(|a| a.target.starts_with(std::env::consts::ARCH))
            .unwrap();
        assert_eq!(read.machine, host.machine);
        assert_eq!(read.interpreter.as_deref(), Some(host.interpreter));
        assert!(read.libraries.iter().any(|l| l == "libc.so.6"), "{read:?}");
        let needed = read.newest_glibc.expect("a glibc executable");
        assert!(needed >= GlibcVersion(2, 2), "{needed}");

        // The same executable, with only glibc's libraries (a test binary also links
        // libgcc_s): accepted as it is, refused for each way it could be wrong.
        let only_glibc = |libraries: &[&str]| Bootstrap {
            machine: read.machine,
            interpreter: read.interpreter.clone(),
            libraries: libraries.iter().map(|l| (*l).to_owned()).collect(),
            newest_glibc: read.newest_glibc,
        };
        let bootstrap = only_glibc(&["libc.so.6", "libm.so.6"]);
        check(&bootstrap, host.machine, host.interpreter, needed).unwrap();
        let older = GlibcVersion(needed.0, needed.1 - 1);
        let refusal = |result: Result<(), String>| result.unwrap_err();
        assert!(
            refusal(check(&bootstrap, host.machine, host.interpreter, older))
                .contains("needs glibc")
        );
        let other = ARCHITECTURES
            .iter()
            .find(|a| a.target != host.target)
            .unwrap();
        assert!(
            refusal(check(&bootstrap, other.machine, host.interpreter, needed)).contains("machine")
        );
        assert!(
            refusal(check(&bootstrap, host.machine, other.interpreter, needed)).contains("loader")
        );
        let with_ssl = only_glibc(&["libc.so.6", "libssl.so.3"]);
        assert!(
            refusal(check(&with_ssl, host.machine, host.interpreter, needed))
                .contains("libssl.so.3")
        );
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        assert!(inspect(&manifest).is_err());
    }
}
