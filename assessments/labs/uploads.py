"""A submission's files from what a student uploaded: several files, or one .zip, .tar, .tar.gz
or .tgz archive. Everything is checked before anything is stored: the total size, the number of
files, the unpacked size of an archive (zip bombs), and every path (no absolute paths, no `..`,
no links or devices in archives), with a message that says what to fix.
"""

import io
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")
# Folders and files that archiving tools add on their own; they are left out silently.
SKIPPED_PARTS = {"__MACOSX", ".DS_Store", "__pycache__", ".git", ".ipynb_checkpoints"}
MAX_PATH_LENGTH = 255


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def checked_path(name: str) -> str | None:
    """`name` as a clean relative path, None for a file to leave out; ValidationError for a
    path that could write outside the submission's folder."""
    if "\\" in name or "\x00" in name or any(ord(c) < 32 for c in name):
        raise ValidationError(
            _("The file name %(name)s contains characters that are not allowed."),
            params={"name": repr(name)},
        )
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise ValidationError(
            _("The path %(name)s points outside the submission; use relative paths only."),
            params={"name": name},
        )
    parts = [part for part in path.parts if part not in ("", ".")]
    if not parts:
        raise ValidationError(_("A file in the upload has no name."))
    if any(part in SKIPPED_PARTS for part in parts):
        return None
    clean = "/".join(parts)
    if len(clean) > MAX_PATH_LENGTH:
        raise ValidationError(
            _("The path %(name)s is longer than %(n)s characters."),
            params={"name": clean[:60] + "…", "n": MAX_PATH_LENGTH},
        )
    return clean


def _too_big(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The upload is %(size)s; submissions may be at most %(limit)s."),
        params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


class _Collector:
    """Adds files one by one, enforcing the count and the unpacked size as it goes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.unpacked = 0

    def add(self, name: str, size: int, read) -> None:
        path = checked_path(name)
        if path is None:
            return
        if path in self.files:
            raise ValidationError(
                _("The file %(name)s appears twice in the upload."), params={"name": path}
            )
        if len(self.files) >= settings.LAB_UPLOAD_MAX_FILES:
            raise ValidationError(
                _("The upload has more than %(n)s files."),
                params={"n": settings.LAB_UPLOAD_MAX_FILES},
            )
        self.unpacked += size
        if self.unpacked > settings.LAB_UPLOAD_MAX_UNPACKED_BYTES:
            raise ValidationError(
                _("The archive unpacks to more than %(limit)s."),
                params={"limit": filesizeformat(settings.LAB_UPLOAD_MAX_UNPACKED_BYTES)},
            )
        data = read()
        if len(data) != size:
            raise ValidationError(
                _("The archive is damaged: %(name)s is cut short."), params={"name": path}
            )
        self.files[path] = data


def _from_zip(data: bytes, collector: _Collector) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            kind = stat.S_IFMT(info.external_attr >> 16)
            if kind and kind != stat.S_IFREG:
                raise ValidationError(
                    _(
                        "%(name)s in the archive is a link or special file; only plain files can "
                        "be submitted."
                    ),
                    params={"name": info.filename},
                )
            if info.flag_bits & 0x1:
                raise ValidationError(_("The archive is encrypted; upload it without a password."))
            collector.add(info.filename, info.file_size, lambda i=info: archive.read(i))


def _from_tar(data: bytes, collector: _Collector) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            if member.isdir():
                continue
            if not member.isreg():
                raise ValidationError(
                    _(
                        "%(name)s in the archive is a link or special file; only plain files can "
                        "be submitted."
                    ),
                    params={"name": member.name},
                )
            collector.add(member.name, member.size, lambda m=member: archive.extractfile(m).read())


def _strip_common_folder(files: dict[str, bytes], known_paths: Iterable[str]) -> dict[str, bytes]:
    """An archive of the folder `mylab/` holding the lab's files becomes those files, unless
    the lab itself has a top-level folder of that name."""
    tops = {path.split("/", 1)[0] for path in files}
    if len(tops) != 1 or all("/" not in path for path in files):
        return files
    top = tops.pop()
    if any(path.split("/", 1)[0] == top for path in known_paths):
        return files
    return {path.split("/", 1)[1]: data for path, data in files.items()}


def submission_files(
    uploads: list[UploadedFile], *, known_paths: Iterable[str] = ()
) -> dict[str, bytes]:
    """The files of a submission from the uploaded files; ValidationError explains a refusal."""
    uploads = [upload for upload in uploads if upload is not None]
    if not uploads:
        raise ValidationError(_("Choose the files of your solution, or one archive of them."))
    total = sum(upload.size or 0 for upload in uploads)
    if total > settings.LAB_UPLOAD_MAX_BYTES:
        raise _too_big(total, settings.LAB_UPLOAD_MAX_BYTES)
    archives = [upload for upload in uploads if is_archive(upload.name or "")]
    collector = _Collector()
    if archives:
        if len(uploads) > 1:
            raise ValidationError(_("Upload one archive on its own, or plain files without one."))
        data = archives[0].read()
        try:
            if archives[0].name.lower().endswith(".zip"):
                _from_zip(data, collector)
            else:
                _from_tar(data, collector)
        except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError) as exc:
            raise ValidationError(
                _(
                    "The archive could not be read (%(problem)s). Upload a .zip, .tar or .tar.gz "
                    "file."
                ),
                params={"problem": str(exc) or type(exc).__name__},
            ) from exc
        files = _strip_common_folder(collector.files, known_paths)
    else:
        for upload in uploads:
            collector.add(upload.name or "", upload.size or 0, upload.read)
        files = collector.files
    if not files:
        raise ValidationError(_("The upload has no files in it."))
    return _placed(files, known_paths)


def _placed(files: dict[str, bytes], known_paths: Iterable[str]) -> dict[str, bytes]:
    """A file uploaded on its own arrives without its folder: `analysis.py` goes where the
    lab has its only `.../analysis.py`."""
    known = list(known_paths)
    placed: dict[str, bytes] = {}
    for path, data in files.items():
        matches = [k for k in known if k.rsplit("/", 1)[-1] == path]
        target = matches[0] if "/" not in path and path not in known and len(matches) == 1 else path
        placed[target if target not in files else path] = data
    return placed


def files_archive(files: dict[str, bytes]) -> bytes:
    """The files as one zip archive, the form every submission is stored in."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path])
    return buffer.getvalue()


def archive_files(data: bytes) -> dict[str, bytes]:
    """The files of a stored submission archive (written by `files_archive`)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}
