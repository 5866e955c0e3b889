"""No credential ever appears on the console's screen (the SVG export is what the screen shows)."""

from __future__ import annotations

from tests.helpers.app import AppFactory, Settle
from tui.sim import Simulator


async def test_credentials_never_reach_the_screen(
    fresh_sim: Simulator, make_app: AppFactory, settle: Settle
) -> None:
    creds = fresh_sim.credentials
    secrets = {creds.seeweb_token, creds.os_password, creds.redis_password}
    fresh_sim.seeweb.faults.update(status=401)  # error messages are shown too
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screens = [app.export_screenshot()]
        for keys in (("enter",), ("v",), ("escape", "j", "enter", "v")):
            await pilot.press(*keys)
            await settle(app, pilot)
            screens.append(app.export_screenshot())
    assert app.health["seeweb"].last_error is not None
    assert not any(secret in screen for screen in screens for secret in secrets)
