"""The proctor console: staff accounts and roles, console sessions, the audit log, and the web pages
where a room's proctors watch their candidates, review flags with their evidence, and act.

Kept import-free so `server.registry` can use `server.console.links` without a cycle; the routers are
mounted by `server.console.app.mount(app)`. See docs/proctor.md.
"""
