"""The second camera (双机位): the candidate's phone, paired by a one-time QR code, sending a reduced JPEG
every few seconds over plain HTTPS to the server, which judges whether the feed stays live and tells the
client through the heartbeat answer. `mount(app)` adds the routes; `phone_status` feeds the heartbeat."""

from server.phone.intake import phone_status, timeline_entries
from server.phone.router import mount, phone_report

__all__ = ["mount", "phone_report", "phone_status", "timeline_entries"]
