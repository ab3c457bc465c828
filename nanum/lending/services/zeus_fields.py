"""ZEUS field names, in one place: change them here when the portal's feed differs.

What is known and what is guessed. Only these names are VERIFIED, from the facts
recorded in issue 13 (the portal's institution REST endpoints): ``equipId``,
``equipNo`` (the NFEC number), ``fixedAsetNo``, ``korNm``, ``engNm``, ``organNm``,
``organCd``, ``useScopeCd``/``useScopeNm`` (1 sole use only, 2 shared use allowed),
``idleDisuseCd``/``idleDisuseNm`` (in use, idle, disused), ``statusCd``,
``registDt``, ``modifyDt`` and the paging fields ``total``, ``page``, ``pageSize``.
EVERYTHING ELSE IS AN UNVERIFIED GUESS, marked ``# UNVERIFIED`` on its line: the
base URL (settings ``ZEUS_BASE_URL``), the list path, the key and format
parameters, the envelope (where the items and the result code sit), the result
codes, the code values of ``idleDisuseCd`` and ``statusCd``, the contact, location,
photo, specification and condition fields, and the Korean spreadsheet headers.
Check each against the portal's documentation (or a real answer) once the
institution's key is granted; the tests' fake ZEUS (tests/fake_zeus.py) serves
exactly these names, so it proves the plumbing, not the names.

Pure: no Django, no I/O. ``normalise`` turns one raw record (from XML or JSON, or a
spreadsheet row keyed by its header) into the bank's field values, or raises
:class:`Unusable` with a reason code.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

# --- the request -----------------------------------------------------------------
# The base URL itself is settings.ZEUS_BASE_URL (NANUM_ZEUS_BASE_URL). # UNVERIFIED
LIST_PATH = "/equipments"  # appended to the base URL. # UNVERIFIED: path guessed
PARAM_KEY = "serviceKey"  # UNVERIFIED: the data.go.kr convention, not confirmed
PARAM_PAGE = "page"  # verified: the paging field is ``page``; as a query parameter
# it is assumed to have the same name (UNVERIFIED as a parameter)
PARAM_PAGE_SIZE = "pageSize"  # verified as a paging field; as a parameter UNVERIFIED
PARAM_TYPE = "type"  # "json" or "xml". # UNVERIFIED: parameter name guessed

# --- the page ---------------------------------------------------------------------
PAGE_TOTAL = ("total", "totalCount")  # "total" verified; "totalCount" UNVERIFIED
PAGE_NUMBER = ("page", "pageNo")  # "page" verified; "pageNo" UNVERIFIED
PAGE_SIZE = ("pageSize", "numOfRows")  # "pageSize" verified; "numOfRows" UNVERIFIED
ITEM_LISTS = ("items", "list", "data")  # JSON: where the records are. # UNVERIFIED
XML_ITEM_TAG = "item"  # XML: every <item> element is one record. # UNVERIFIED
RESULT_CODE = ("resultCode",)  # UNVERIFIED: the data.go.kr envelope
RESULT_MESSAGE = ("resultMsg",)  # UNVERIFIED: the data.go.kr envelope
OK_CODES = {"", "0", "00", "200", "0000"}  # UNVERIFIED
# data.go.kr conventions: 20 access denied, 22 over quota, 30 key not registered,
# 31 key expired, 32 unregistered IP. # UNVERIFIED for ZEUS itself
KEY_REFUSED_CODES = {"20", "22", "30", "31", "32"}

# --- one record: our field -> the feed's names, tried in order -------------------
# In each tuple the FIRST name is the portal's; the Korean names are spreadsheet
# headers of circulated idle lists (UNVERIFIED: lists differ from office to office).
FIELDS: dict[str, tuple[str, ...]] = {
    "zeus_id": ("equipId",),  # verified
    # "equipNo" verified; the others UNVERIFIED alternatives and list headers
    "nfec_no": ("equipNo", "nfecNo", "nfec", "nfec 등록번호", "nfec번호", "등록번호"),
    "asset_no": ("fixedAsetNo", "자산번호"),  # "fixedAsetNo" verified
    "name_ko": ("korNm", "장비명", "국문장비명"),  # "korNm" verified
    "name_en": ("engNm", "영문장비명"),  # "engNm" verified
    "owner_name": ("organNm", "보유기관", "기관명"),  # "organNm" verified
    "owner_code": ("organCd", "기관코드"),  # "organCd" verified
    "use_scope": ("useScopeCd", "useScopeNm", "사용범위"),  # both codes verified
    "idle": ("idleDisuseCd", "idleDisuseNm", "유휴상태", "유휴여부"),  # both verified
    "status": ("statusCd",),  # verified name; its values UNVERIFIED (below)
    "registered": ("registDt", "등록일"),  # "registDt" verified
    "modified": ("modifyDt", "수정일"),  # "modifyDt" verified
    # Every name below is an UNVERIFIED guess.
    "contact_name": ("chargerNm", "mngrNm", "담당자"),  # UNVERIFIED
    "contact_email": ("chargerEmail", "mngrEmail", "이메일"),  # UNVERIFIED
    "contact_phone": ("chargerTelno", "mngrTelno", "전화번호", "연락처"),  # UNVERIFIED
    "location": ("installPlace", "instlPlcNm", "설치장소"),  # UNVERIFIED
    "postcode": ("zipCd", "postNo", "우편번호"),  # UNVERIFIED
    "photo_url": ("imgUrl", "photoUrl", "사진"),  # UNVERIFIED
    "specs": ("equipSpec", "spec", "사양"),  # UNVERIFIED
    "lending": ("rentPsblYn", "lendYn", "대여가능", "활용조건"),  # UNVERIFIED
    "training": ("eduNeedYn", "교육필요"),  # UNVERIFIED
    "insurance": ("insrncNeedYn", "보험필요"),  # UNVERIFIED
    "operator": ("oprtrNeedYn", "운영인력필요"),  # UNVERIFIED
}

# Values. useScopeCd 1 = sole use only, 2 = shared use allowed: verified; the
# Korean labels (useScopeNm / list cells) are UNVERIFIED spellings.
USE_SCOPE = {"1": "sole", "단독활용": "sole", "단독": "sole", "2": "shared"}
USE_SCOPE |= {"공동활용허용": "shared", "공동활용": "shared", "공동": "shared"}
# idleDisuseCd/Nm means in use / idle / disused (verified), but the CODE VALUES
# (1 in use, 2 idle, 3 disused, 4 under-used) and the labels are UNVERIFIED.
IDLE = {"1": "in_use", "사용": "in_use", "사용중": "in_use", "활용중": "in_use"}
IDLE |= {"2": "idle", "유휴": "idle", "3": "disused", "불용": "disused"}
IDLE |= {"4": "under_used", "저활용": "under_used"}
# statusCd values that mean the registration itself is gone. # UNVERIFIED
WITHDRAWN_STATUS = {"D", "9", "삭제"}
# Values of the guessed "lending" field (Y/N/O and list words). # UNVERIFIED
LENDING = {"y": "loan", "대여": "loan", "대여가능": "loan", "o": "on_site"}
LENDING |= {"현장": "on_site", "현장활용": "on_site", "n": "none", "불가": "none"}
YES = {"y", "yes", "1", "true", "예", "필요"}

# The NFEC number's shape, from the one example in the facts
# (NFEC-2017-11-240982); the digit counts allowed are a guess. # UNVERIFIED
NFEC_RE = re.compile(r"^NFEC-\d{4}-\d{2}-\d{4,8}$")
MAX = {"name_ko": 200, "name_en": 200, "owner_name": 200, "location": 300}


class Unusable(ValueError):
    """A record the bank cannot take; ``code`` says why (``no_nfec``, ...)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Record:
    """One item as the bank stores it (every value a string or bool)."""

    nfec_no: str
    zeus_id: str
    asset_no: str
    name_ko: str
    name_en: str
    owner_name: str
    owner_code: str
    contact_name: str
    contact_email: str
    contact_phone: str
    location: str
    postcode: str
    use_scope: str
    idle_status: str
    lending: str
    training_required: bool
    insurance_required: bool
    operator_needed: bool
    photo_url: str
    specs: str
    registered_on: str  # YYYY-MM-DD or ""
    source_modified: str
    withdrawn: bool

    def digest(self) -> str:
        text = "\x1f".join(str(getattr(self, f)) for f in self.__slots__)
        return hashlib.sha256(text.encode()).hexdigest()


def first(raw: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        value = raw.get(name)
        if value is None:
            value = raw.get(name.lower())
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _date(text: str) -> str:
    digits = re.sub(r"\D", "", text)[:8]
    if len(digits) == 8 and digits[4:6] <= "12" and digits[6:8] <= "31":
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return ""


def normalise(raw: dict[str, str]) -> Record:
    """The bank's view of one raw record; :class:`Unusable` when it cannot be taken."""

    def get(field: str) -> str:
        return first(raw, FIELDS[field])

    nfec = get("nfec_no").upper().replace(" ", "")
    if not nfec:
        raise Unusable("no_nfec", get("name_ko") or get("zeus_id"))
    if not NFEC_RE.match(nfec):
        raise Unusable("bad_nfec", nfec[:40])
    name = get("name_ko") or get("name_en")
    owner = get("owner_name")
    if not name or not owner:
        raise Unusable("incomplete", nfec)
    scope = USE_SCOPE.get(get("use_scope"), "sole")  # unknown: the safe answer
    idle = IDLE.get(get("idle"), "in_use")
    email = get("contact_email")
    photo = get("photo_url")
    return Record(
        nfec_no=nfec,
        zeus_id=get("zeus_id")[:40],
        asset_no=get("asset_no")[:60],
        name_ko=name[: MAX["name_ko"]],
        name_en=get("name_en")[: MAX["name_en"]],
        owner_name=owner[: MAX["owner_name"]],
        owner_code=get("owner_code")[:40],
        contact_name=get("contact_name")[:100],
        contact_email=email[:254] if "@" in email else "",
        contact_phone=get("contact_phone")[:40],
        location=get("location")[: MAX["location"]],
        postcode=re.sub(r"\D", "", get("postcode"))[:10],
        use_scope=scope,
        idle_status=idle,
        lending=LENDING.get(get("lending").lower(), "on_site"),
        training_required=get("training").lower() in YES,
        insurance_required=get("insurance").lower() in YES,
        operator_needed=get("operator").lower() in YES,
        photo_url=photo[:500] if photo.startswith(("https://", "http://")) else "",
        specs=get("specs")[:4000],
        registered_on=_date(get("registered")),
        source_modified=get("modified")[:40],
        withdrawn=idle == "disused" or get("status").upper() in WITHDRAWN_STATUS,
    )
