"""Proctoring during the exam (no Qt): the session object that starts the camera capture, the on-device
monitor and (on Windows) the lockdown when the exam starts, and stops them at sealing."""
