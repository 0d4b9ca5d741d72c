# webrtcvad comes from the distribution `webrtcvad-wheels` and reads its version from that name's metadata;
# the contributed hook asks for the metadata of `webrtcvad` and fails the build. This one takes precedence.
from PyInstaller.utils.hooks import copy_metadata

datas = copy_metadata("webrtcvad-wheels")
