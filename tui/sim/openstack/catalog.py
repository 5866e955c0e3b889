"""What the simulated Nova does: action kinds, their events, and how they fail.

Pure data plus two tiny helpers; the world generator draws from it. Event
names follow Nova's ``<prefix>_<function>`` convention (``wrap_instance_event``)
and failures carry the formatted traceback frames Nova stores (frames only,
the exception text goes to the event's ``details``).

This module imports nothing from the UI nor from ``tui.backends``.
"""

from __future__ import annotations

from typing import NamedTuple


class EventSpec(NamedTuple):
    """One event of an action kind: its name, where it runs and how long it takes."""

    name: str
    where: str
    """``conductor``, ``source`` (the server's host) or ``dest`` (a migration target)."""
    min_s: float
    max_s: float


class Failure(NamedTuple):
    """One way an event fails: the exception text (``details``) and its traceback frames."""

    details: str
    frames: tuple[tuple[str, int, str, str], ...]
    """``(file, line, function, source line)``, outermost first."""


_C, _S, _D = "conductor", "source", "dest"

_BUILD = (
    EventSpec("conductor_schedule_and_build_instances", _C, 1.0, 4.0),
    EventSpec("compute_build_and_run_instance", _S, 8.0, 45.0),
)
_COLD_MIGRATE = (
    EventSpec("cold_migrate", _C, 1.0, 3.0),
    EventSpec("conductor_migrate_server", _C, 1.0, 4.0),
    EventSpec("compute_prep_resize", _D, 1.0, 5.0),
    EventSpec("compute_resize_instance", _S, 5.0, 60.0),
    EventSpec("compute_finish_resize", _D, 3.0, 20.0),
)
_LIVE_MIGRATE = (
    EventSpec("conductor_live_migrate_instance", _C, 1.0, 5.0),
    EventSpec("compute_check_can_live_migrate_destination", _D, 1.0, 4.0),
    EventSpec("compute_check_can_live_migrate_source", _S, 0.5, 3.0),
    EventSpec("compute_pre_live_migration", _D, 2.0, 10.0),
    EventSpec("compute_live_migration", _S, 30.0, 400.0),
    EventSpec("compute_post_live_migration_at_destination", _D, 2.0, 10.0),
)

KINDS: dict[str, tuple[EventSpec, ...]] = {
    "create": _BUILD,
    "reboot": (EventSpec("compute_reboot_instance", _S, 4.0, 40.0),),
    "stop": (EventSpec("compute_stop_instance", _S, 2.0, 20.0),),
    "start": (EventSpec("compute_start_instance", _S, 2.0, 15.0),),
    "resize": _COLD_MIGRATE,
    "confirmResize": (EventSpec("compute_confirm_resize", _S, 2.0, 10.0),),
    "migrate": _COLD_MIGRATE,
    "live-migration": _LIVE_MIGRATE,
    "rebuild": (EventSpec("compute_rebuild_instance", _S, 10.0, 60.0),),
    "shelve": (EventSpec("compute_shelve_instance", _S, 10.0, 90.0),),
    "unshelve": (
        EventSpec("schedule_instances", _C, 1.0, 5.0),
        EventSpec("compute_unshelve_instance", _S, 10.0, 60.0),
    ),
    "createImage": (EventSpec("compute_snapshot_instance", _S, 10.0, 120.0),),
    "pause": (EventSpec("compute_pause_instance", _S, 1.0, 3.0),),
    "unpause": (EventSpec("compute_unpause_instance", _S, 1.0, 3.0),),
    "lock": (),
    "unlock": (),
    "delete": (EventSpec("compute_terminate_instance", _S, 2.0, 15.0),),
}
"""Action name -> its events in the order they start. ``lock``/``unlock`` record none."""

WEIGHTS: dict[str, int] = {
    "reboot": 18,
    "stop": 10,
    "start": 10,
    "resize": 8,
    "confirmResize": 6,
    "migrate": 4,
    "live-migration": 8,
    "rebuild": 5,
    "shelve": 3,
    "unshelve": 3,
    "createImage": 6,
    "pause": 2,
    "unpause": 2,
    "lock": 3,
    "unlock": 2,
}
"""How often each kind happens to an existing server (``create``/``delete`` are placed)."""

_NOVA = "/usr/lib/python3/dist-packages/nova"
_WRAP = (
    (
        f"{_NOVA}/compute/utils.py",
        1458,
        "decorated_function",
        "return function(self, context, *args, **kwargs)",
    ),
    (
        f"{_NOVA}/compute/manager.py",
        215,
        "decorated_function",
        "compute_utils.add_instance_fault_from_exc(context,",
    ),
    (
        "/usr/lib/python3/dist-packages/oslo_utils/excutils.py",
        227,
        "__exit__",
        "self.force_reraise()",
    ),
    (
        "/usr/lib/python3/dist-packages/oslo_utils/excutils.py",
        200,
        "force_reraise",
        "raise self.value",
    ),
    (
        f"{_NOVA}/compute/manager.py",
        203,
        "decorated_function",
        "return function(self, context, *args, **kwargs)",
    ),
)

_LIBVIRT = Failure(
    "internal error: process exited while connecting to monitor: "
    'qemu-system-x86_64: -blockdev {...}: Failed to get "write" lock',
    (
        *_WRAP,
        (
            f"{_NOVA}/compute/manager.py",
            4025,
            "reboot_instance",
            "do_reboot_instance(context, instance, block_device_info, reboot_type)",
        ),
        (
            f"{_NOVA}/virt/libvirt/driver.py",
            3912,
            "_hard_reboot",
            "self._create_guest_with_network(",
        ),
        (
            f"{_NOVA}/virt/libvirt/guest.py",
            165,
            "launch",
            "return self._domain.createWithFlags(flags)",
        ),
        (
            "/usr/lib/python3/dist-packages/libvirt.py",
            1409,
            "createWithFlags",
            "raise libvirtError('virDomainCreateWithFlags() failed')",
        ),
    ),
)

_LIBVIRT_START = Failure(
    _LIBVIRT.details,
    (
        *_WRAP,
        (
            f"{_NOVA}/compute/manager.py",
            3390,
            "start_instance",
            "self._power_on(context, instance)",
        ),
        (
            f"{_NOVA}/compute/manager.py",
            3357,
            "_power_on",
            "self.driver.power_on(context, instance,",
        ),
        (
            f"{_NOVA}/virt/libvirt/driver.py",
            4331,
            "power_on",
            "self._hard_reboot(context, instance, network_info, block_device_info,",
        ),
        *_LIBVIRT.frames[-3:],
    ),
)
"""Starting a stopped server: libvirt's ``power_on`` is a hard reboot, so it fails the same way."""

_MIGRATION = Failure(
    "operation failed: Failed to connect to remote libvirt URI "
    "qemu+tcp://compute-02/system: Connection refused",
    (
        *_WRAP,
        (
            f"{_NOVA}/compute/manager.py",
            9117,
            "_do_live_migration",
            "self.driver.live_migration(context, instance, dest,",
        ),
        (
            f"{_NOVA}/virt/libvirt/driver.py",
            10238,
            "live_migration",
            "self._live_migration(context, instance, dest,",
        ),
        (
            f"{_NOVA}/virt/libvirt/driver.py",
            10760,
            "_live_migration_operation",
            "guest.migrate(self._live_migration_uri(dest),",
        ),
        (
            f"{_NOVA}/virt/libvirt/guest.py",
            675,
            "migrate",
            "self._domain.migrateToURI3(",
        ),
        (
            "/usr/lib/python3/dist-packages/libvirt.py",
            2157,
            "migrateToURI3",
            "raise libvirtError('virDomainMigrateToURI3() failed')",
        ),
    ),
)

_ALLOCATION = Failure(
    "A conflict was encountered attempting to update resource provider "
    "3f1d52c4-0b6e-4a1e-9a53-6f0f3c2f7d11 (generation 42): resource provider "
    "generation conflict. Please retry your update",
    (
        *_WRAP,
        (
            f"{_NOVA}/compute/manager.py",
            5867,
            "prep_resize",
            "self._prep_resize(context, image, instance,",
        ),
        (
            f"{_NOVA}/scheduler/client/report.py",
            2017,
            "move_allocations",
            "raise exception.AllocationMoveFailed(",
        ),
        (
            f"{_NOVA}/scheduler/client/report.py",
            1704,
            "put_allocations",
            "raise exception.ResourceProviderAllocationConflict(",
        ),
    ),
)

_NO_VALID_HOST = Failure(
    "No valid host was found. There are not enough hosts available.",
    (
        (
            f"{_NOVA}/conductor/manager.py",
            1654,
            "schedule_and_build_instances",
            "host_lists = self._schedule_instances(context, request_specs[0],",
        ),
        (
            f"{_NOVA}/conductor/manager.py",
            942,
            "_schedule_instances",
            "host_lists = self.query_client.select_destinations(",
        ),
        (
            f"{_NOVA}/scheduler/client/query.py",
            41,
            "select_destinations",
            "return self.scheduler_rpcapi.select_destinations(context, spec_obj,",
        ),
        (
            f"{_NOVA}/scheduler/manager.py",
            238,
            "select_destinations",
            'raise exception.NoValidHost(reason="")',
        ),
    ),
)

_PRECHECK = Failure(
    "Migration pre-check error: Unable to migrate 6c1b...: Disk of instance is too large"
    "(available on destination host:21474836480 < need:42949672960)",
    (
        *_WRAP,
        (
            f"{_NOVA}/compute/manager.py",
            8655,
            "check_can_live_migrate_destination",
            "migrate_data = self.compute_rpcapi.check_can_live_migrate_source(",
        ),
        (
            f"{_NOVA}/virt/libvirt/driver.py",
            9604,
            "check_can_live_migrate_source",
            "self._assert_dest_node_has_enough_disk(context, instance,",
        ),
        (
            f"{_NOVA}/virt/libvirt/driver.py",
            9690,
            "_assert_dest_node_has_enough_disk",
            "raise exception.MigrationPreCheckError(reason=reason)",
        ),
    ),
)

_TIMEOUT = Failure(
    "Timed out waiting for a reply to message ID 5b3c9a1e8d2f4e0b9c6a7d8e1f2a3b4c",
    (
        *_WRAP,
        (
            f"{_NOVA}/compute/manager.py",
            3288,
            "_do_rebuild_instance",
            "self._power_off_instance(context, instance, clean_shutdown)",
        ),
        (
            "/usr/lib/python3/dist-packages/oslo_messaging/_drivers/amqpdriver.py",
            439,
            "get",
            "raise oslo_messaging.MessagingTimeout(",
        ),
    ),
)

FAILURES: dict[str, Failure] = {
    "conductor_schedule_and_build_instances": _NO_VALID_HOST,
    "schedule_instances": _NO_VALID_HOST,
    "compute_prep_resize": _ALLOCATION,
    "conductor_migrate_server": _ALLOCATION,
    "compute_check_can_live_migrate_destination": _PRECHECK,
    "compute_check_can_live_migrate_source": _PRECHECK,
    "compute_reboot_instance": _LIBVIRT,
    "compute_start_instance": _LIBVIRT_START,
    "compute_live_migration": _MIGRATION,
}
"""The realistic failure of an event, by event name; anything else times out."""


def failure_for(event: str) -> Failure:
    """The failure an event suffers when it fails."""
    return FAILURES.get(event, _TIMEOUT)


def format_traceback(failure: Failure) -> str:
    """Nova's stored traceback: ``traceback.format_tb`` frames, joined."""
    return "".join(
        f'  File "{path}", line {line}, in {function}\n    {source}\n'
        for path, line, function, source in failure.frames
    )
