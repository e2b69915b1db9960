"""Hostile course packages are refused from their headers, before anything is unpacked, and a
refused import writes nothing."""

import io
import os
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest

from catalog.models import Course
from catalog.tests.tenants import build_tenants
from content.models import Asset
from interchange.archives import PackageRefused, package_read
from interchange.courses.services import olx_import
from syllabus.models import Module

COURSE_XML = b'<course url_name="r" org="X" course="C1"/>'


def tar_with(tmp_path: Path, *members: tarfile.TarInfo, data: bytes = b"") -> Path:
    target = tmp_path / "hostile.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        ok = tarfile.TarInfo("course/course.xml")
        ok.size = len(COURSE_XML)
        archive.addfile(ok, io.BytesIO(COURSE_XML))
        for member in members:
            archive.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return target


def regular(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    return info


def special(name: str, kind: bytes, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (regular("course/../../evil.txt", 3), "leaving the package"),
        (regular("/etc/evil.txt", 3), "absolute path"),
        (regular("C:/evil.txt", 3), "absolute path"),
        (regular("course\\..\\evil.txt", 3), "forbidden name"),
        (special("course/static/passwd", tarfile.SYMTYPE, "/etc/passwd"), "a link"),
        (special("course/static/copy", tarfile.LNKTYPE, "course/course.xml"), "a link"),
        (special("course/static/dev", tarfile.CHRTYPE), "special file"),
        (special("course/static/fifo", tarfile.FIFOTYPE), "special file"),
    ],
)
def test_hostile_entries_are_refused(tmp_path, member, message):
    path = tar_with(tmp_path, member, data=b"bad")
    with pytest.raises(PackageRefused, match=message):
        package_read(path)
    assert not (tmp_path / "evil.txt").exists()


def test_too_many_files_is_refused(tmp_path, settings):
    settings.COURSE_IMPORT_MAX_FILES = 3
    path = tar_with(tmp_path, *(regular(f"course/static/f{n}.txt", 1) for n in range(3)), data=b"x")
    with pytest.raises(PackageRefused, match="more than 3 files"):
        package_read(path)


def test_too_many_unpacked_bytes_is_refused_from_the_headers(tmp_path, settings):
    """A gzip bomb: 64 MB of zeros compress to kilobytes; the declared size refuses it."""
    settings.COURSE_IMPORT_MAX_BYTES = 1024 * 1024
    zeros = b"\0" * (64 * 1024 * 1024)
    path = tar_with(tmp_path, regular("course/static/bomb.bin", len(zeros)), data=zeros)
    assert path.stat().st_size < 200_000
    with pytest.raises(PackageRefused, match="more than 1 MB"):
        package_read(path)


def test_a_file_that_is_not_an_archive_is_refused(tmp_path):
    path = tmp_path / "course.tar.gz"
    path.write_bytes(b"not a tar at all")
    with pytest.raises(PackageRefused, match="not a readable"):
        package_read(path)


def test_a_folder_with_a_symlink_is_refused(tmp_path):
    (tmp_path / "pkg" / "static").mkdir(parents=True)
    (tmp_path / "pkg" / "course.xml").write_bytes(COURSE_XML)
    os.symlink("/etc/passwd", tmp_path / "pkg" / "static" / "passwd")
    with pytest.raises(PackageRefused, match="a link"):
        package_read(tmp_path / "pkg")


def test_a_folder_with_a_hard_link_is_refused(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "course.xml").write_bytes(COURSE_XML)
    os.link(tmp_path / "pkg" / "course.xml", tmp_path / "pkg" / "again.xml")
    with pytest.raises(PackageRefused, match="hard link"):
        package_read(tmp_path / "pkg")


def test_a_folder_over_the_file_limit_is_refused(tmp_path, settings):
    settings.COURSE_IMPORT_MAX_FILES = 2
    (tmp_path / "pkg").mkdir()
    for n in range(3):
        (tmp_path / "pkg" / f"f{n}.xml").write_bytes(b"<x/>")
    with pytest.raises(PackageRefused, match="more than 2 files"):
        package_read(tmp_path / "pkg")


def test_a_safe_package_reads_relative_names(tmp_path):
    path = tar_with(tmp_path, regular("./course/static/a.txt", 2), data=b"hi")
    package = package_read(path)
    assert package.files == {"course/course.xml": COURSE_XML, "course/static/a.txt": b"hi"}


@pytest.mark.django_db
def test_a_refused_package_writes_nothing(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tenants = build_tenants()
    path = tar_with(tmp_path, regular("course/../x.txt", 1), data=b"x")
    before = (Course.objects.count(), Module.objects.count(), Asset.objects.count())
    with pytest.raises(PackageRefused):
        olx_import(path=path, university=tenants.university_a)
    assert (Course.objects.count(), Module.objects.count(), Asset.objects.count()) == before
    assert not (tmp_path / "media").exists()


def zip_with(tmp_path: Path, *entries: tuple[zipfile.ZipInfo | str, bytes]) -> Path:
    target = tmp_path / "hostile.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("course/course.xml", COURSE_XML)
        for info, data in entries:
            archive.writestr(info, data)
    return target


def zip_link(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("course/../../evil.txt", "leaving the package"),
        ("/etc/evil.txt", "absolute path"),
        (zip_link("course/static/passwd", "/etc/passwd"), "a link"),
    ],
)
def test_hostile_zip_entries_are_refused(tmp_path, entry, message):
    path = zip_with(tmp_path, (entry, b"/etc/passwd"))
    with pytest.raises(PackageRefused, match=message):
        package_read(path)
    assert not (tmp_path / "evil.txt").exists()


def test_a_zip_bomb_is_refused_from_its_directory(tmp_path, settings):
    settings.COURSE_IMPORT_MAX_BYTES = 1024 * 1024
    path = zip_with(tmp_path, ("course/static/bomb.bin", b"\0" * (64 * 1024 * 1024)))
    assert path.stat().st_size < 200_000
    with pytest.raises(PackageRefused, match="more than 1 MB"):
        package_read(path)


def test_a_safe_zip_reads_relative_names(tmp_path):
    package = package_read(zip_with(tmp_path, ("./course/static/a.txt", b"hi")))
    assert package.files == {"course/course.xml": COURSE_XML, "course/static/a.txt": b"hi"}
