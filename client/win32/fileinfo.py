"""What an executable says about itself: the version resource's strings (OriginalFilename,
InternalName, ProductName, CompanyName, FileDescription: a renamed copy keeps them) and the subject of
its embedded Authenticode signature. The signature is read, not verified: a deny list only needs the
claimed name (nobody forges a signature to get their program blocked)."""
from __future__ import annotations

import ctypes
from ctypes import wintypes
from typing import Dict, List, Optional, Tuple

from client.win32.api import Fn

VERSION_STRINGS = ("OriginalFilename", "InternalName", "ProductName", "CompanyName", "FileDescription")
# tried after the file's own translations, as Windows Explorer does: en-US, neutral, zh-CN (Unicode / ANSI)
FALLBACK_TRANSLATIONS = ((0x0409, 0x04B0), (0x0409, 0x04E4), (0x0000, 0x04B0), (0x0804, 0x04B0), (0x0804, 0x03A8))

GetFileVersionInfoSizeW = Fn("version", "GetFileVersionInfoSizeW", wintypes.DWORD,
                             [wintypes.LPCWSTR, ctypes.POINTER(wintypes.DWORD)])
GetFileVersionInfoW = Fn("version", "GetFileVersionInfoW", wintypes.BOOL,
                         [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p])
VerQueryValueW = Fn("version", "VerQueryValueW", wintypes.BOOL,
                    [ctypes.c_void_p, wintypes.LPCWSTR, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(wintypes.UINT)])

CERT_QUERY_OBJECT_FILE = 1
CERT_QUERY_CONTENT_FLAG_PKCS7_SIGNED_EMBED = 0x400
CERT_QUERY_FORMAT_FLAG_BINARY = 0x2
CMSG_SIGNER_CERT_INFO_PARAM = 7
ENCODING = 0x1 | 0x10000            # X509_ASN_ENCODING | PKCS_7_ASN_ENCODING
CERT_FIND_SUBJECT_CERT = 11 << 16
CERT_NAME_SIMPLE_DISPLAY_TYPE = 4

CryptQueryObject = Fn("crypt32", "CryptQueryObject", wintypes.BOOL,
                      [wintypes.DWORD, ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                       ctypes.POINTER(wintypes.DWORD), ctypes.POINTER(wintypes.DWORD), ctypes.POINTER(wintypes.DWORD),
                       ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)])
CryptMsgGetParam = Fn("crypt32", "CryptMsgGetParam", wintypes.BOOL,
                      [ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p, ctypes.POINTER(wintypes.DWORD)])
CertFindCertificateInStore = Fn("crypt32", "CertFindCertificateInStore", ctypes.c_void_p,
                                [ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p,
                                 ctypes.c_void_p])
CertGetNameStringW = Fn("crypt32", "CertGetNameStringW", wintypes.DWORD,
                        [ctypes.c_void_p, wintypes.DWORD, wintypes.DWORD, ctypes.c_void_p, wintypes.LPWSTR,
                         wintypes.DWORD])
CertFreeCertificateContext = Fn("crypt32", "CertFreeCertificateContext", wintypes.BOOL, [ctypes.c_void_p])
CertCloseStore = Fn("crypt32", "CertCloseStore", wintypes.BOOL, [ctypes.c_void_p, wintypes.DWORD])
CryptMsgClose = Fn("crypt32", "CryptMsgClose", wintypes.BOOL, [ctypes.c_void_p])


def _query(block: ctypes.Array, sub_block: str) -> Tuple[Optional[int], int]:
    ptr, size = ctypes.c_void_p(), wintypes.UINT(0)
    if not VerQueryValueW(block, sub_block, ctypes.byref(ptr), ctypes.byref(size)) or not ptr.value:
        return None, 0
    return ptr.value, int(size.value)


def version_strings(path: str) -> Dict[str, str]:
    """{OriginalFilename: ..., ProductName: ...} from the file's version resource; {} if it has none."""
    handle = wintypes.DWORD(0)
    size = int(GetFileVersionInfoSizeW(path, ctypes.byref(handle)))
    if not size:
        return {}
    block = ctypes.create_string_buffer(size)
    if not GetFileVersionInfoW(path, 0, size, block):
        return {}
    translations: List[Tuple[int, int]] = []
    ptr, length = _query(block, "\\VarFileInfo\\Translation")
    if ptr:
        words = (wintypes.WORD * (length // 2)).from_address(ptr)
        translations = [(int(words[i]), int(words[i + 1])) for i in range(0, len(words) - 1, 2)]
    out: Dict[str, str] = {}
    for lang, codepage in translations + [t for t in FALLBACK_TRANSLATIONS if t not in translations]:
        for name in VERSION_STRINGS:
            if name in out:
                continue
            ptr, length = _query(block, "\\StringFileInfo\\%04x%04x\\%s" % (lang, codepage, name))
            if ptr and length:
                value = ctypes.wstring_at(ptr, length).rstrip("\x00").strip()
                if value:
                    out[name] = value
        if len(out) == len(VERSION_STRINGS):
            break
    return out


def signer_name(path: str) -> Optional[str]:
    """Subject (simple display name) of the embedded Authenticode signer; None if unsigned or catalog-signed."""
    enc, ctype, fmt = wintypes.DWORD(0), wintypes.DWORD(0), wintypes.DWORD(0)
    store, msg = ctypes.c_void_p(), ctypes.c_void_p()
    wide = ctypes.create_unicode_buffer(path)
    if not CryptQueryObject(CERT_QUERY_OBJECT_FILE, wide, CERT_QUERY_CONTENT_FLAG_PKCS7_SIGNED_EMBED,
                            CERT_QUERY_FORMAT_FLAG_BINARY, 0, ctypes.byref(enc), ctypes.byref(ctype),
                            ctypes.byref(fmt), ctypes.byref(store), ctypes.byref(msg), None):
        return None
    cert = None
    try:
        need = wintypes.DWORD(0)
        if not CryptMsgGetParam(msg, CMSG_SIGNER_CERT_INFO_PARAM, 0, None, ctypes.byref(need)) or not need.value:
            return None
        info = ctypes.create_string_buffer(need.value)
        if not CryptMsgGetParam(msg, CMSG_SIGNER_CERT_INFO_PARAM, 0, info, ctypes.byref(need)):
            return None
        cert = CertFindCertificateInStore(store, ENCODING, 0, CERT_FIND_SUBJECT_CERT, info, None)
        if not cert:
            return None
        name = ctypes.create_unicode_buffer(256)
        if CertGetNameStringW(cert, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, None, name, 256) <= 1:
            return None
        return name.value or None
    finally:
        if cert:
            CertFreeCertificateContext(cert)
        if store:
            CertCloseStore(store, 0)
        if msg:
            CryptMsgClose(msg)
