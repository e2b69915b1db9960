"""Course packages (a .tar.gz, a .zip or a folder) read into memory only after every entry
passed the checks: no absolute paths, no `..`, no symbolic or hard links, no devices, FIFOs or
other special files, at most COURSE_IMPORT_MAX_FILES files and COURSE_IMPORT_MAX_BYTES
unpacked bytes. The checks run on the tar headers (the zip's directory, the folder's listing)
before any file content is read, and no entry is read past its declared size, so a hostile
package is refused without unpacking it and nothing is written anywhere."""

import os
import stat
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _


class PackageRefused(Exception):
    """A package refused whole, with a message for the person importing it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Package:
    """The regular files of a package by their relative POSIX path."""

    files: dict[str, bytes]

    def read(self, path: str) -> bytes | None:
        return self.files.get(path)

    def under(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return sorted(name for name in self.files if name.startswith(prefix))

    def rooted_at(self, folder: str) -> "Package":
        """The package seen from `folder` (Open edX exports put everything in one folder)."""
        if not folder:
            return self
        prefix = folder.rstrip("/") + "/"
        return Package(
            {
                name[len(prefix) :]: data
                for name, data in self.files.items()
                if name.startswith(prefix)
            }
        )


def _safe_name(name: str) -> str:
    """The entry's normalised relative path, or PackageRefused for one that could land outside
    the package."""
    if "\\" in name or "\x00" in name:
        raise PackageRefused(
            _("The package has an entry with a forbidden name: %(n)s") % {"n": name}
        )
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise PackageRefused(_("The package has an absolute path: %(n)s") % {"n": name})
    if ".." in path.parts:
        raise PackageRefused(_("The package has a path leaving the package: %(n)s") % {"n": name})
    return "/".join(part for part in path.parts if part not in ("", "."))


class _Budget:
    def __init__(self) -> None:
        self.files = 0
        self.bytes = 0

    def add(self, size: int) -> None:
        self.files += 1
        self.bytes += size
        if self.files > settings.COURSE_IMPORT_MAX_FILES:
            raise PackageRefused(
                _("The package has more than %(n)d files.")
                % {"n": settings.COURSE_IMPORT_MAX_FILES}
            )
        if self.bytes > settings.COURSE_IMPORT_MAX_BYTES:
            raise PackageRefused(
                _("The package unpacks to more than %(n)d MB.")
                % {"n": settings.COURSE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )


def _kept(name: str, *, link: bool, folder: bool, regular: bool) -> bool:
    """Whether an archive entry is a file to read (False for a folder); PackageRefused for a
    link or a special file."""
    if link:
        raise PackageRefused(_("The package has a link, which is refused: %(n)s") % {"n": name})
    if folder:
        return False
    if not regular:
        raise PackageRefused(
            _("The package has a special file, which is refused: %(n)s") % {"n": name}
        )
    return True


def _read_tar(path: Path) -> Package:
    budget = _Budget()
    try:
        with tarfile.open(path, mode="r:*") as archive:
            members = []
            for member in archive:  # headers only: file data is skipped, not unpacked
                name = _safe_name(member.name)
                link = member.issym() or member.islnk()
                if _kept(member.name, link=link, folder=member.isdir(), regular=member.isreg()):
                    budget.add(member.size)
                    if name:
                        members.append((name, member))
            files = {}
            for name, member in members:
                handle = archive.extractfile(member)
                files[name] = handle.read(member.size + 1) if handle else b""
                if len(files[name]) != member.size:
                    raise PackageRefused(_("The package is damaged: %(n)s") % {"n": name})
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise PackageRefused(
            _("The file is not a readable .tar.gz package (%(e)s).") % {"e": error}
        ) from None
    return Package(files)


def _read_zip(path: Path) -> Package:
    budget = _Budget()
    try:
        with zipfile.ZipFile(path) as archive:
            members = []
            for info in archive.infolist():  # the central directory only: nothing unpacked
                name = _safe_name(info.filename)
                kind = stat.S_IFMT(info.external_attr >> 16)  # 0: written without a file type
                link = kind == stat.S_IFLNK
                regular = kind in (0, stat.S_IFREG)
                if _kept(info.filename, link=link, folder=info.is_dir(), regular=regular):
                    budget.add(info.file_size)
                    if name:
                        members.append((name, info))
            files = {}
            for name, info in members:
                with archive.open(info) as handle:  # never more than the declared size
                    files[name] = handle.read(info.file_size + 1)
                if len(files[name]) != info.file_size:
                    raise PackageRefused(_("The package is damaged: %(n)s") % {"n": name})
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise PackageRefused(
            _("The file is not a readable .zip package (%(e)s).") % {"e": error}
        ) from None
    return Package(files)


def _read_folder(root: Path) -> Package:
    budget = _Budget()
    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        for entry in [*dirs, *names]:
            full = Path(folder) / entry
            info = full.lstat()
            relative = full.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                raise PackageRefused(
                    _("The package has a link, which is refused: %(n)s") % {"n": relative}
                )
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                raise PackageRefused(
                    _("The package has a special file, which is refused: %(n)s") % {"n": relative}
                )
            if info.st_nlink > 1:
                raise PackageRefused(
                    _("The package has a hard link, which is refused: %(n)s") % {"n": relative}
                )
            budget.add(info.st_size)
            found.append((_safe_name(relative), full))
    return Package({name: full.read_bytes() for name, full in found})


def package_read(path: Path) -> Package:
    """The package at `path`, a folder, a zip or a (gzipped) tar archive, checked whole
    first."""
    if path.is_symlink():
        raise PackageRefused(_("The package path is a link, which is refused."))
    if path.is_dir():
        return _read_folder(path)
    if path.is_file():
        return _read_zip(path) if zipfile.is_zipfile(path) else _read_tar(path)
    raise PackageRefused(_("There is no package at %(path)s.") % {"path": path})
