"""ExamDesk candidate client. `client.exam`, `client.sync` and the analysis half of
`client.monitor` import no Qt; everything Qt goes through `client.qt`."""
from __future__ import annotations

__version__ = "0.1.0"

import os as _os

# OpenCV writes its own "[ WARN:0] ... can't open camera by index" lines to the console; the checks
# report the same facts in the candidate's language, so OpenCV speaks only of errors (read at cv2 import)
_os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
