"""Equipment self-check and monitoring analysis: camera, microphone, network, system.

No Qt here: the analysis runs in worker threads and is shared by `examdesk check` and the wizard
(client/ui/selfcheck). Device readers sit behind small typing.Protocol interfaces so recorded
video/audio feed the same code paths as real devices.
"""
