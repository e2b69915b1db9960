"""The read-only pages read from a real streaming replica; writes and recent writers stay on the
primary; a replica that is down costs nothing but a warning."""

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import PIPE, CalledProcessError, Popen, run

import pytest
from django.db import connections, router
from django.db.utils import InternalError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assessments.grades.models import Certificate
from catalog.models import Course
from catalog.tests.factories import CourseFactory, EnrollmentFactory, OfferingFactory
from lms.replicas import PIN_COOKIE, REPLICA_ALIAS, replica_reads
from tenancy.tests.factories import UserFactory

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA_ALIAS]),
]

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REPLICA_PORT = 5442
SERVER_OPTIONS = "-c fsync=off -c shared_buffers=32MB -c max_connections=40"


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root and wants its data owned by the user running it."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(*command: str, timeout: float = 60) -> str:
    out = run(_as_postgres(list(command)), capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise CalledProcessError(out.returncode, command, out.stdout, out.stderr)
    return out.stdout.strip()


def _wait_for(condition: Callable[[], object], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except CalledProcessError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Cluster:
    """A PostgreSQL server of the installed version on a data directory of its own."""

    def __init__(self, directory: Path, host: str) -> None:
        self.directory, self.host = directory, host
        # Sockets outside the data directory: a base backup would copy their lock files.
        self.sockets = directory.parent / f"{directory.name}-sockets"

    def pg_ctl(self, *args: str) -> None:
        _run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory), *args)

    def start(self, listen: str) -> None:
        options = (
            f"-p {REPLICA_PORT} -c listen_addresses={listen} "
            f"-c unix_socket_directories={self.sockets} {SERVER_OPTIONS}"
        )
        log = self.directory.parent / f"{self.directory.name}.log"
        if not self.sockets.exists():
            _run("mkdir", "-m", "0700", str(self.sockets))
        try:
            self.pg_ctl("-o", options, "-l", str(log), "-w", "start")
        except CalledProcessError:
            raise AssertionError(
                f"{self.directory.name} did not start: {log.read_text()}"
            ) from None

    def stop(self) -> None:
        if (self.directory / "postmaster.pid").exists():
            self.pg_ctl("-m", "fast", "-w", "stop")

    def sql(self, statement: str, database: str | None = None) -> str:
        database = database or connections["default"].settings_dict["NAME"]
        return _run(
            *("psql", "-X", "-At", "-h", self.host, "-p", str(REPLICA_PORT), "-U", "postgres"),
            *("-d", database, "-c", statement),
        )


class Replica(Cluster):
    def __init__(self, directory: Path, primary: Cluster) -> None:
        super().__init__(directory, "127.0.0.1")
        self.primary = primary

    def start(self, listen: str = "127.0.0.1") -> None:
        super().start(listen)
        # A hot standby opens for reads once the primary has logged its running transactions.
        _wait_for(
            lambda: (
                self.primary.sql("CHECKPOINT", "postgres") is not None
                and self.sql("SELECT pg_is_in_recovery()", "postgres") == "t"
            ),
            "the replica to accept connections",
        )

    def caught_up(self) -> None:
        """Wait until the replica has replayed everything the primary has committed so far."""
        target = self.primary.sql("SELECT pg_current_wal_lsn()")
        _wait_for(
            lambda: self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t",
            "the replica to catch up",
        )

    def pause(self) -> None:
        self.caught_up()
        self.sql("SELECT pg_wal_replay_pause()")
        _wait_for(lambda: self.sql("SELECT pg_get_wal_replay_pause_state()") == "paused", "pause")

    def resume(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()")
        self.caught_up()


def _copy_database(name: str, source: dict, target: Cluster) -> None:
    """The test database, schema and rows, from the shared server into `target`."""
    target.sql(f'CREATE DATABASE "{name}"', "postgres")
    host, port = source["HOST"] or "127.0.0.1", str(source["PORT"] or 5432)
    dump_command = ["pg_dump", "-h", host, "-p", port, "-U", "postgres", "--no-owner", "-d", name]
    dump = Popen(_as_postgres(dump_command), stdout=PIPE)
    restore_command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", target.host]
    restore_command += ["-p", str(REPLICA_PORT), "-U", "postgres", "-d", name]
    restore = run(
        _as_postgres(restore_command), stdin=dump.stdout, capture_output=True, timeout=120
    )
    assert dump.wait(timeout=60) == 0 and restore.returncode == 0, restore.stderr


@pytest.fixture(scope="module")
def replica(django_db_setup) -> Iterator[Replica]:
    """A real primary and streaming replica pair, with Django's "default" alias pointed at the
    primary and a "replica" alias at the replica, for the tests of this module.

    The primary is private: initdb in a temporary directory, listening on a Unix socket only
    (no TCP port), with a pg_dump copy of the test database pytest-django made. A standby of
    the shared server on 5432 would do, but it opens for reads only after every transaction
    open at its start with more than 64 subtransactions has ended, and other test runs on
    that server hold such transactions for minutes. The replica is a `pg_basebackup -R -X
    stream` of the primary, started with pg_ctl on 127.0.0.1:5442.

    Django reads DATABASES once, so the aliases are changed at run time in the connection
    handler's settings (the same dicts the connections use): default gets the private
    primary's socket, the new replica alias the replica with TEST["MIRROR"] = "default", so
    the test runner flushes only the primary. The router is switched on with
    override_settings, which resets Django's cached routers. The tests stay in-process (the
    test client, factories, the real router and middleware) with no extra web server.
    """
    base = Path(tempfile.mkdtemp(prefix="lms-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary = Cluster(base / "primary", str(base / "primary-sockets"))
    server = Replica(base / "replica", primary)
    default = connections["default"].settings_dict
    shared = {key: default[key] for key in ("HOST", "PORT")}
    try:
        _run(
            *(str(PG_BIN / "initdb"), "-D", str(primary.directory), "-U", "postgres"),
            *("-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        )
        primary.start(listen="''")
        _copy_database(default["NAME"], default, primary)
        _run(
            *(str(PG_BIN / "pg_basebackup"), "-h", primary.host, "-p", str(REPLICA_PORT)),
            *("-U", "postgres", "-D", str(server.directory), "-R", "-X", "stream", "-c", "fast"),
            timeout=120,
        )
        server.start()

        connections["default"].close()
        default.update(HOST=primary.host, PORT=str(REPLICA_PORT))
        alias = {**default, "HOST": "127.0.0.1", "TEST": {**default["TEST"], "MIRROR": "default"}}
        alias["OPTIONS"] = {**default.get("OPTIONS", {}), "connect_timeout": 3}
        connections.settings[REPLICA_ALIAS] = alias
        routers = override_settings(DATABASE_ROUTERS=["lms.replicas.ReplicaRouter"])
        routers.enable()
        try:
            yield server
        finally:
            routers.disable()
            connections[REPLICA_ALIAS].close()
            del connections[REPLICA_ALIAS]
            del connections.settings[REPLICA_ALIAS]
            connections["default"].close()
            default.update(shared)
    finally:
        server.stop()
        primary.stop()
        shutil.rmtree(base)


CATALOG = reverse("portal:catalog")


def titles_on(client, url: str = CATALOG) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_catalog_reads_the_replica_and_a_writer_reads_the_primary(client, replica):
    seen = OfferingFactory(course=CourseFactory(title="Replicated statics"))
    replica.pause()
    try:
        OfferingFactory(course=CourseFactory(title="Fresh dynamics"))
        page = titles_on(client)
        assert "Replicated statics" in page
        assert "Fresh dynamics" not in page
        assert PIN_COOKIE not in client.cookies

        student = UserFactory()
        client.force_login(student)  # the session exists on the primary only
        response = client.get(CATALOG)
        # The visitor, new since the pause, was looked up on the primary; the page on the replica.
        assert response.wsgi_request.user.pk == student.pk
        assert "Fresh dynamics" not in response.content.decode()
        assert PIN_COOKIE not in client.cookies  # reading pins no one

        enroll = reverse("portal:enroll", kwargs={"offering_id": seen.pk})
        assert client.post(enroll).status_code == 302
        assert PIN_COOKIE in client.cookies
        assert "Fresh dynamics" in titles_on(client)

        client.cookies[PIN_COOKIE] = str(time.time() + 3600)  # unsigned: not trusted
        assert "Fresh dynamics" not in titles_on(client)
    finally:
        replica.resume()
    assert "Fresh dynamics" in titles_on(client)


def test_course_page_outline_and_certificate_check_read_the_replica(client, replica):
    offering = OfferingFactory(course=CourseFactory(title="Replicated optics"))
    student = UserFactory()
    replica.pause()
    try:
        new_course = CourseFactory(title="Unreplicated acoustics")
        EnrollmentFactory(course_offering=offering, user=student)
        Certificate.objects.create(
            user=student,
            course_offering=offering,
            certificate_code="RPLC-0001-AAAA",
            issued_at=timezone.now(),
        )
        course_url = reverse("portal:course-detail", kwargs={"course_id": offering.course_id})
        new_course_url = reverse("portal:course-detail", kwargs={"course_id": new_course.pk})
        outline_url = reverse("portal:outline", kwargs={"offering_id": offering.pk})
        verify_url = reverse("portal:certificate-verify", args=["RPLC-0001-AAAA"])

        assert client.get(course_url).status_code == 200
        assert client.get(new_course_url).status_code == 404
        assert client.get(verify_url).status_code == 404
        client.force_login(student)
        # The replica does not know the enrollment yet: "enroll to open this course".
        assert client.get(outline_url)["Location"] == course_url
    finally:
        replica.resume()
    assert client.get(new_course_url).status_code == 200
    assert client.get(outline_url).status_code == 200
    verified = client.get(verify_url)
    assert verified.status_code == 200
    assert verified.context["verification"].certificate.user_id == student.pk


def test_writes_never_go_to_the_replica(replica):
    cursor = connections[REPLICA_ALIAS].cursor()
    with pytest.raises(InternalError, match="read-only transaction"):
        cursor.execute("CREATE TABLE replica_write_probe (id int)")
    cursor.close()
    with replica_reads():
        assert router.db_for_read(Course) == REPLICA_ALIAS
        assert router.db_for_write(Course) == "default"
        course = CourseFactory(title="Written inside replica reads")
        Course.objects.filter(pk=course.pk).update(title="Updated inside replica reads")
    replica.caught_up()
    assert Course.objects.using(REPLICA_ALIAS).get(pk=course.pk).title == (
        "Updated inside replica reads"
    )


def test_pages_come_from_the_primary_while_the_replica_is_down(client, replica, caplog):
    titles_on(client)  # the replica connection is open when the replica goes away
    replica.stop()
    try:
        OfferingFactory(course=CourseFactory(title="Written during the outage"))
        caplog.set_level("WARNING", logger="lms.replicas")
        # First on the open connection that broke, then on a new one that cannot connect.
        assert "Written during the outage" in titles_on(client)
        assert "Written during the outage" in titles_on(client)
        messages = [record.getMessage() for record in caplog.records]
        assert messages[0].startswith("database replica failed, reading from the primary")
        assert messages[1].startswith("database replica unreachable, reading from the primary")
        assert len(messages) == 2
    finally:
        replica.start()
