#!/usr/bin/env python3
"""Deterministic generator of a ministry portal of N items, for the Gazette-vs-Hugo benchmark.

    python3 bench/generate.py N OUTDIR [--seed 20261101] [--recurring-titles PCT]

writes the same items twice:

    OUTDIR/gazette/   config.yaml + content/ in Gazette's format
    OUTDIR/hugo/      hugo.toml + content/ + layouts/ (templates equivalent to Gazette's default theme)

Of the N items, N // 10 are directives (content/van-ban/<slug>/index.md with a `document:` map),
the rest are news articles (content/tin-tuc/<slug>.md). Every item has 400-1,200 words of
Vietnamese text with headings, bullet lists, block quotes, an image with an italic caption line,
and ~5% of items a fenced code block (json or bash). Categories (12) follow a Zipf-like
distribution, tags come from a pool of 200, dates are spread over 2008-01-01 .. 2026-10-31 (+07:00).

With `--recurring-titles PCT`, PCT% of the news articles repeat the title of an earlier one (as a
news archive repeats "Họp báo thường kỳ" every year), and the Gazette site's articles carry no
`slug:`: they are filed as content/tin-tuc/<year>/<month>/<folded title>.md, so their URLs come
from Gazette's default permalinks (folders and file name). The Hugo site is unchanged.

The output depends only on N, the seed and the flags (each item has its own RNG seeded from the seed and its
index), so the same command always writes byte-identical sites. Standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import shutil
import sys
import unicodedata

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

CATEGORIES = [  # (name, slug), in menu order; the Zipf rank is this order
    ("Tin hoạt động", "tin-hoat-dong"),
    ("Chỉ đạo, điều hành", "chi-dao-dieu-hanh"),
    ("Chuyển đổi số", "chuyen-doi-so"),
    ("Ứng dụng công nghệ thông tin", "ung-dung-cntt"),
    ("An toàn thông tin", "an-toan-thong-tin"),
    ("Viễn thông và Internet", "vien-thong-internet"),
    ("Báo chí, xuất bản", "bao-chi-xuat-ban"),
    ("Bưu chính", "buu-chinh"),
    ("Cải cách hành chính", "cai-cach-hanh-chinh"),
    ("Hợp tác quốc tế", "hop-tac-quoc-te"),
    ("Thông tin cơ sở", "thong-tin-co-so"),
    ("Khoa học và công nghệ", "khoa-hoc-cong-nghe"),
]

SUBJECTS = [
    "Bộ Thông tin và Truyền thông", "Bộ Công an", "Văn phòng Chính phủ", "Ủy ban nhân dân tỉnh",
    "Sở Thông tin và Truyền thông", "Cục An toàn thông tin", "Cục Chuyển đổi số quốc gia",
    "Cục Viễn thông", "Cục Báo chí", "Vụ Kế hoạch - Tài chính", "Vụ Pháp chế", "Văn phòng Bộ",
    "Thanh tra Bộ", "Trung tâm Thông tin", "Ban Chỉ đạo", "Tổ công tác liên ngành",
    "lãnh đạo Bộ", "Bộ trưởng", "Thứ trưởng", "các cơ quan, đơn vị trực thuộc", "các địa phương",
    "doanh nghiệp viễn thông", "các doanh nghiệp bưu chính", "Hội đồng thẩm định",
    "Tổng công ty Bưu điện Việt Nam", "Trung tâm Giám sát an toàn không gian mạng quốc gia",
    "Ủy ban nhân dân các quận, huyện", "Đoàn công tác", "Cổng thông tin điện tử của Bộ",
]

VERBS = [
    "đã tổ chức", "triển khai", "chỉ đạo", "yêu cầu đẩy nhanh", "đẩy mạnh", "tăng cường",
    "rà soát", "hướng dẫn thực hiện", "phối hợp xây dựng", "ban hành", "kiểm tra", "đánh giá",
    "thúc đẩy", "hoàn thiện", "xây dựng", "phê duyệt", "tổng kết", "đôn đốc", "nghiên cứu",
    "tiếp tục nâng cấp", "vận hành thử nghiệm", "công bố", "sơ kết", "thẩm định", "góp ý",
    "tập trung nguồn lực cho", "bảo đảm", "ưu tiên bố trí kinh phí cho", "chuẩn hóa", "số hóa",
]

OBJECTS = [
    "kế hoạch ứng dụng công nghệ thông tin", "hệ thống dịch vụ công trực tuyến",
    "cơ sở dữ liệu quốc gia về dân cư", "hạ tầng viễn thông băng rộng",
    "công tác bảo đảm an toàn thông tin mạng", "chương trình chuyển đổi số quốc gia",
    "quy chế phối hợp giữa các đơn vị", "các nền tảng số dùng chung", "chính phủ điện tử",
    "dự thảo văn bản quy phạm pháp luật", "mạng bưu chính công cộng", "dự thảo thông tư hướng dẫn",
    "hệ thống quản lý văn bản và điều hành", "trục liên thông văn bản quốc gia",
    "chữ ký số chuyên dùng", "mạng truyền số liệu chuyên dùng", "trung tâm dữ liệu",
    "công tác thông tin đối ngoại", "hoạt động báo chí, xuất bản", "quy hoạch phát triển mạng lưới",
    "chỉ số sẵn sàng cho phát triển và ứng dụng công nghệ thông tin",
    "kho dữ liệu dùng chung", "hồ sơ công việc điện tử", "thủ tục hành chính liên thông",
    "kiến trúc chính quyền điện tử cấp tỉnh", "phương án xử lý sự cố", "đề án đào tạo nguồn nhân lực",
    "dịch vụ bưu chính công ích", "hệ thống thông tin nguồn", "đài truyền thanh cơ sở",
]

COMPLEMENTS = [
    "trong giai đoạn 2021-2025", "theo đúng tiến độ đề ra", "trên địa bàn toàn quốc",
    "nhằm nâng cao chất lượng phục vụ người dân và doanh nghiệp", "một cách đồng bộ, hiệu quả",
    "tại Hà Nội", "tại trụ sở Bộ", "theo chỉ đạo của Thủ tướng Chính phủ",
    "bảo đảm công khai, minh bạch", "với sự tham gia của các bộ, ngành", "trong năm {year}",
    "trước ngày 31/12/{year}", "theo hình thức trực tuyến kết hợp trực tiếp",
    "gắn với cải cách hành chính", "phù hợp với điều kiện thực tế của từng địa phương",
    "trong quý {q} năm {year}", "để kịp thời tháo gỡ khó khăn, vướng mắc",
    "với tổng kinh phí dự kiến {money} tỷ đồng", "tại {n} tỉnh, thành phố",
    "đạt tỷ lệ {pct}% so với kế hoạch",
]

CONNECTORS = [
    "Theo đó,", "Bên cạnh đó,", "Đồng thời,", "Tại hội nghị,", "Phát biểu chỉ đạo,",
    "Trong thời gian tới,", "Cũng theo báo cáo,", "Ngoài ra,", "Trước đó,", "Qua kiểm tra,",
    "Về lâu dài,", "Theo kế hoạch,", "Để thực hiện mục tiêu này,", "Nhìn chung,",
]

TAIL_CLAUSES = [
    "góp phần nâng cao hiệu lực, hiệu quả quản lý nhà nước",
    "tạo chuyển biến rõ nét trong nhận thức của cán bộ, công chức",
    "từng bước hình thành nền hành chính hiện đại",
    "bảo đảm thông suốt, an toàn, bảo mật thông tin",
    "đáp ứng yêu cầu nhiệm vụ trong tình hình mới",
    "tiết kiệm thời gian và chi phí cho xã hội",
    "nâng cao năng lực cạnh tranh của doanh nghiệp",
]

HEADINGS = [
    "Kết quả đạt được", "Nhiệm vụ trọng tâm", "Giải pháp thực hiện", "Tổ chức thực hiện",
    "Những khó khăn, vướng mắc", "Kiến nghị, đề xuất", "Mục tiêu cụ thể", "Bối cảnh",
    "Ý kiến của các đại biểu", "Phương hướng thời gian tới", "Kinh phí thực hiện",
    "Phân công trách nhiệm", "Đánh giá chung", "Bài học kinh nghiệm", "Lộ trình triển khai",
    "Chỉ đạo của lãnh đạo Bộ", "Kết luận của hội nghị", "Tình hình thực hiện",
]

TITLE_HEADS = [
    "Bộ Thông tin và Truyền thông", "Thứ trưởng", "Bộ trưởng", "Hội nghị", "Tọa đàm",
    "Cục An toàn thông tin", "Sở Thông tin và Truyền thông", "Ủy ban nhân dân tỉnh", "Đoàn công tác",
    "Ban Chỉ đạo", "Lãnh đạo Bộ", "Các doanh nghiệp",
]
TITLE_VERBS = [
    "triển khai", "đẩy mạnh", "tổng kết", "kiểm tra", "hướng dẫn", "làm việc về",
    "ban hành", "phê duyệt", "sơ kết", "thúc đẩy", "góp ý", "bàn giải pháp cho",
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLES = ["Văn", "Thị", "Minh", "Đức", "Thanh", "Quốc", "Hữu", "Ngọc", "Thu", "Mạnh", "Xuân"]
GIVEN = ["Hùng", "Hồng", "Lâm", "Thành", "Hải", "Dũng", "Hà", "Lan", "Tuấn", "Phương", "Sơn",
         "Trung", "Hương", "Nam", "Quang", "Thắng", "Yến", "Bình", "Khánh", "Long"]
TITLES_OF_OFFICE = ["Bộ trưởng", "Thứ trưởng", "Chánh Văn phòng", "Cục trưởng", "Vụ trưởng",
                    "Chủ tịch Ủy ban nhân dân tỉnh", "Giám đốc Sở"]

TAG_BASE = [
    "chuyển đổi số", "chính phủ điện tử", "chính phủ số", "kinh tế số", "xã hội số",
    "an toàn thông tin", "an ninh mạng", "dịch vụ công trực tuyến", "cải cách hành chính",
    "dữ liệu mở", "cơ sở dữ liệu", "điện toán đám mây", "trí tuệ nhân tạo", "dữ liệu lớn",
    "Internet vạn vật", "5G", "băng rộng", "viễn thông", "bưu chính", "báo chí", "xuất bản",
    "truyền hình", "phát thanh", "thông tin cơ sở", "thông tin đối ngoại", "hợp tác quốc tế",
    "nguồn nhân lực", "đào tạo", "khởi nghiệp", "doanh nghiệp công nghệ", "phần mềm",
    "phần cứng", "điện tử", "chữ ký số", "định danh điện tử", "thanh toán điện tử",
    "thương mại điện tử", "thư điện tử", "cổng thông tin", "văn bản điện tử", "tần số",
    "quy hoạch", "pháp luật", "thanh tra", "kiểm tra", "khen thưởng", "thi đua",
    "công đoàn", "đoàn thanh niên", "đảng ủy", "y tế số", "giáo dục số", "nông nghiệp số",
    "đô thị thông minh", "nền tảng số", "mã nguồn mở", "tiêu chuẩn kỹ thuật", "chất lượng dịch vụ",
    "tên miền", "IPv6", "Bộ Công an", "Công an nhân dân", "cơ yếu", "Hà Nội", "Thành phố Hồ Chí Minh",
    "Đà Nẵng", "Cần Thơ", "Hải Phòng", "miền núi", "vùng sâu, vùng xa",
]
TAG_QUALIFIERS = ["năm 2010", "năm 2015", "năm 2020", "năm 2025", "cấp tỉnh", "cấp huyện",
                  "cấp xã", "quốc gia", "khu vực", "ASEAN"]

CODE_JSON = """```json
{
  "maDonVi": "%s",
  "tenDichVu": "%s",
  "mucDo": %d,
  "trangThai": "đang vận hành",
  "soHoSo": %d
}
```"""
CODE_BASH = """```bash
# Kiểm tra kết nối tới trục liên thông văn bản quốc gia
curl -s -o /dev/null -w "%%{http_code}" https://lgsp.%s.gov.vn/api/v%d/health
for dv in %s; do
  echo "Đơn vị: $dv"
done
```"""

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Slug the way Gazette does: fold Vietnamese diacritics (đ -> d), lowercase, join with -."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out, dash = [], False
    for c in text:
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def q(s: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


def zipf_cdf(n: int, s: float) -> list[float]:
    w = [1.0 / (k ** s) for k in range(1, n + 1)]
    total = sum(w)
    acc, cdf = 0.0, []
    for x in w:
        acc += x / total
        cdf.append(acc)
    cdf[-1] = 1.0
    return cdf


def pick_cdf(rng: random.Random, cdf: list[float]) -> int:
    return bisect.bisect_left(cdf, rng.random())


def build_tag_pool(rng: random.Random) -> list[str]:
    pool, seen = [], set()
    for t in TAG_BASE:
        if fold(t) not in seen:
            seen.add(fold(t))
            pool.append(t)
    while len(pool) < 200:
        t = f"{rng.choice(TAG_BASE)} {rng.choice(TAG_QUALIFIERS)}"
        if fold(t) not in seen:
            seen.add(fold(t))
            pool.append(t)
    return pool


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"


START = dt.datetime(2008, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))
END = dt.datetime(2026, 10, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SPAN_MIN = int((END - START).total_seconds() // 60)

DOC_TYPES = [  # (type, abbreviation in the number)
    ("Quyết định", "QĐ"), ("Chỉ thị", "CT"), ("Thông tư", "TT"), ("Kế hoạch", "KH"),
    ("Nghị định", "NĐ"), ("Công văn", "CV"), ("Thông báo", "TB"),
]
ISSUERS = [  # (issuer, abbreviation)
    ("Bộ Thông tin và Truyền thông", "BTTTT"), ("Bộ Công an", "BCA"), ("Chính phủ", "CP"),
    ("Thủ tướng Chính phủ", "TTg"), ("Ủy ban nhân dân Thành phố Hà Nội", "UBND"),
]
FIELDS = ["Công nghệ thông tin", "Viễn thông", "Bưu chính", "An toàn thông tin", "Báo chí",
          "Xuất bản", "Cải cách hành chính", "Tổ chức cán bộ", "Tài chính"]

# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


class Writer:
    def __init__(self, rng: random.Random, year: int, doc_numbers: list[str]):
        self.rng = rng
        self.year = year
        self.doc_numbers = doc_numbers
        self.words = 0

    def fill(self, s: str) -> str:
        r = self.rng
        return s.format(year=self.year, q=r.randint(1, 4), money=r.randint(2, 900),
                        n=r.randint(3, 63), pct=r.randint(60, 120))

    def sentence(self) -> str:
        r = self.rng
        parts = []
        if r.random() < 0.35:
            parts.append(r.choice(CONNECTORS))
        subj = r.choice(SUBJECTS)
        if not parts:
            subj = subj[0].upper() + subj[1:]
        parts += [subj, r.choice(VERBS), r.choice(OBJECTS)]
        if r.random() < 0.8:
            parts.append(self.fill(r.choice(COMPLEMENTS)))
        if r.random() < 0.4:
            parts[-1] += ","
            parts.append(r.choice(TAIL_CLAUSES))
        if self.doc_numbers and r.random() < 0.02:
            parts.append(f"theo văn bản số {r.choice(self.doc_numbers)}")
        s = " ".join(parts) + "."
        self.words += s.count(" ") + 1
        return s

    def paragraph(self, lo: int = 2, hi: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def bullets(self) -> str:
        r = self.rng
        items = []
        for _ in range(r.randint(3, 7)):
            it = f"{r.choice(VERBS).capitalize()} {r.choice(OBJECTS)} {self.fill(r.choice(COMPLEMENTS))};"
            self.words += it.count(" ") + 2
            items.append("- " + it)
        return "\n".join(items)

    def quote(self) -> str:
        s = self.paragraph(1, 3)
        who = f"{self.rng.choice(TITLES_OF_OFFICE)} {person(self.rng)}"
        self.words += who.count(" ") + 2
        return f"> {s}\n>\n> — {who}"

    def figure(self) -> str:
        r = self.rng
        alt = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"
        cap = f"{alt[0].upper() + alt[1:]} {self.fill(r.choice(COMPLEMENTS))}. (Ảnh: {person(r)})"
        self.words += cap.count(" ") + 1
        name = fold(r.choice(OBJECTS))[:40].strip("-")
        return f"![{alt[0].upper() + alt[1:]}](anh-{name}.jpg)\n*{cap}*"

    def code(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return CODE_JSON % (f"{r.randint(1, 99):03d}.{r.randint(1, 99):02d}.H{r.randint(10, 63)}",
                                r.choice(OBJECTS), r.randint(2, 4), r.randint(100, 99999))
        units = " ".join(fold(s)[:12].strip("-") for s in r.sample(SUBJECTS, 3))
        return CODE_BASH % (fold(r.choice(CATEGORIES)[0])[:10], r.randint(1, 3), units)

    def body(self, target: int, with_code: bool) -> str:
        """Markdown of about `target` words (counted as whitespace-separated tokens)."""
        r = self.rng
        blocks: list[str] = []
        count = 0

        def add(block: str) -> None:
            nonlocal count
            blocks.append(block)
            count += len(block.split())

        add(self.paragraph(3, 6))
        if r.random() < 0.85:
            add(self.figure())
        add(self.paragraph())
        headings = r.sample(HEADINGS, len(HEADINGS))
        h = 0
        did_list = did_quote = did_code = False
        while count < target:
            head = headings[h % len(headings)] + ("" if h < len(headings) else f" ({h // len(headings) + 1})")
            h += 1
            add("## " + head)
            add(self.paragraph())
            if count >= target:
                break
            roll = r.random()
            if not did_list or roll < 0.3:
                add(self.bullets())
                did_list = True
            elif not did_quote or roll < 0.5:
                add(self.quote())
                did_quote = True
            if with_code and not did_code:
                add(self.code())
                did_code = True
            if count < target:
                add(self.paragraph())
        if with_code and not did_code:
            add(self.code())
        return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------------


def make_items(n: int, seed: int, recurring: float = 0.0):
    rng = random.Random(seed)
    tag_pool = build_tag_pool(rng)
    tag_cdf = zipf_cdf(len(tag_pool), 0.9)
    cat_cdf = zipf_cdf(len(CATEGORIES), 1.1)
    n_dir = n // 10
    n_news = n - n_dir

    # Directives first, so articles can mention their numbers.
    directives = []
    for i in range(n_dir):
        r = random.Random(seed * 1_000_003 + 7_000_000_000 + i)
        signed = (START + dt.timedelta(minutes=r.randrange(SPAN_MIN))).date()
        dtype, dabbr = DOC_TYPES[r.randrange(len(DOC_TYPES))]
        issuer, iabbr = ISSUERS[r.randrange(len(ISSUERS))]
        number = f"{i + 1}/{signed.year}/{dabbr}-{iabbr}"  # i + 1 keeps every number unique
        obj = r.choice(OBJECTS)
        title = f"{dtype} về việc {r.choice(VERBS)} {obj} {r.choice(COMPLEMENTS).format(year=signed.year, q=1, money=10, n=5, pct=90)}"
        directives.append(dict(i=i, r=r, signed=signed, type=dtype, issuer=issuer, number=number,
                               title=title, slug=f"{fold(dtype)}-{fold(number)}"))
    numbers = [d["number"] for d in directives]

    def tags_for(r: random.Random, lo: int, hi: int) -> list[str]:
        k = r.randint(lo, hi)
        chosen: list[str] = []
        while len(chosen) < k:
            t = tag_pool[pick_cdf(r, tag_cdf)]
            if t not in chosen:
                chosen.append(t)
        return chosen

    for d in directives:
        r = d["r"]
        signed = d["signed"]
        effective = signed + dt.timedelta(days=r.choice([0, 0, 10, 15, 30, 45]))
        expires = None
        if r.random() < 0.2:
            expires = effective + dt.timedelta(days=r.randint(365, 5 * 365))
        w = Writer(r, signed.year, [])
        summary = w.sentence()
        yield dict(kind="directive", slug=d["slug"], title=d["title"],
                   date=None, signed=signed, effective=effective, expires=expires,
                   summary=summary, abstract=d["title"], tags=tags_for(r, 1, 3),
                   author=None, category=None,
                   document=dict(number=d["number"], type=d["type"], issuer=d["issuer"],
                                 signer=dict(name=person(r), title=r.choice(TITLES_OF_OFFICE)),
                                 field=r.choice(FIELDS)),
                   body=w.body(r.randint(400, 1020), r.random() < 0.05))

    titles: list[str] = []
    paths: set[str] = set()
    for i in range(n_news):
        r = random.Random(seed * 1_000_003 + i)
        date = START + dt.timedelta(minutes=r.randrange(SPAN_MIN))
        cat = CATEGORIES[pick_cdf(r, cat_cdf)]
        title = (f"{r.choice(TITLE_HEADS)} {r.choice(TITLE_VERBS)} {r.choice(OBJECTS)} "
                 f"{r.choice(COMPLEMENTS).format(year=date.year, q=r.randint(1, 4), money=r.randint(2, 900), n=r.randint(3, 63), pct=r.randint(60, 120))}")
        # A separate RNG, so that without the flag every item is as before.
        rr = random.Random(seed * 1_000_003 + 9_000_000_000 + i)
        if recurring and titles and rr.random() < recurring / 100:
            title = titles[rr.randrange(len(titles))]
        titles.append(title)
        base = fold(title)
        if len(base) > 70:
            base = base[:71].rsplit("-", 1)[0]
        slug = f"{base}-{i + 1}"
        path = None
        if recurring:
            # One file per article, named after its title as an editor would;
            # two of one title in one month get -2, -3 (one folder cannot hold both).
            stem = f"content/tin-tuc/{date.year}/{date.month:02}/{base}"
            path, k = f"{stem}.md", 1
            while path in paths:
                k += 1
                path = f"{stem}-{k}.md"
            paths.add(path)
        w = Writer(r, date.year, numbers)
        summary = w.sentence()
        yield dict(kind="article", slug=slug, path=path, title=title, date=date, summary=summary,
                   category=cat, tags=tags_for(r, 1, 5), author=person(r),
                   body=w.body(r.randint(400, 1020), r.random() < 0.05))


# --------------------------------------------------------------------------------------------
# Writers: Gazette and Hugo
# --------------------------------------------------------------------------------------------

SITE_TITLE = "Cổng thông tin điện tử Bộ Thông tin và Truyền thông"
SITE_DESC = "Tin hoạt động, chỉ đạo, điều hành và ứng dụng công nghệ thông tin của Bộ Thông tin và Truyền thông."
NEWS_DESC = "Tin hoạt động, thông tin chỉ đạo, điều hành và tin tức về ứng dụng công nghệ thông tin."
REG_DESC = "Chỉ thị, quyết định và các văn bản chỉ đạo, điều hành: số/ký hiệu, loại văn bản, cơ quan ban hành, ngày ban hành và trích yếu."


def gazette_config() -> str:
    cats = "\n".join(f"  - {{ name: {q(n)}, slug: {s} }}" for n, s in CATEGORIES)
    return f"""# Generated by bench/generate.py
title: {q(SITE_TITLE)}
description: {q(SITE_DESC)}
base_url: https://example.gov.vn
language: vi
timezone: Asia/Ho_Chi_Minh
theme: portal
paginate: 20
related: 5
home:
  latest: 20
  featured: 3
  per_category: 4
categories:
{cats}
organization:
  name: Bộ Thông tin và Truyền thông
  address: 18 Nguyễn Du, Hà Nội
  email: banbientap@example.gov.vn
  license: Cổng thông tin sinh ra cho phép đo hiệu năng; không phải trang chính thức.
ratings:
  enabled: true
  endpoint: null
markdown:
  highlight: true
  unsafe_html: false
  smart_punctuation: false
"""


def iso(d: dt.datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:00+07:00")


def source_file(it: dict, hugo: bool) -> tuple[str, str]:
    """An item's path and text: the same front matter for both tools, but for
    how each names the category (and Hugo's need for a date on directives)."""
    tags = "[" + ", ".join(q(t) for t in it["tags"]) + "]"
    if it["kind"] == "article":
        category = f"categories: [{q(it['category'][0])}]" if hugo else f"category: {it['category'][1]}"
        by_path = it["path"] is not None and not hugo
        slug = "" if by_path else f"slug: {it['slug']}\n"
        fm = (f"---\ntitle: {q(it['title'])}\ndate: {iso(it['date'])}\n{slug}"
              f"summary: {q(it['summary'])}\n{category}\ntags: {tags}\n"
              f"author: {q(it['author'])}\n---\n\n")
        return (it["path"] if by_path else f"content/tin-tuc/{it['slug']}.md"), fm + it["body"]
    doc = it["document"]
    date = [f"date: {it['signed'].isoformat()}T00:00:00+07:00"] if hugo else []
    lines = [
        "---", f"title: {q(it['title'])}", *date, f"slug: {it['slug']}", f"summary: {q(it['summary'])}",
        f"tags: {tags}", "document:", f"  number: {q(doc['number'])}", f"  type: {doc['type']}",
        f"  issuer: {doc['issuer']}",
        f"  signer: {{ name: {doc['signer']['name']}, title: {doc['signer']['title']} }}",
        f"  signed: {it['signed'].isoformat()}", f"  effective: {it['effective'].isoformat()}",
    ]
    if it["expires"]:
        lines.append(f"  expires: {it['expires'].isoformat()}")
    lines += [f"  field: {doc['field']}", f"  abstract: {q(it['abstract'])}", "---", "", ""]
    return f"content/van-ban/{it['slug']}/index.md", "\n".join(lines) + it["body"]


def gazette_item(it: dict) -> tuple[str, str]:
    return source_file(it, hugo=False)

HUGO_TOML = f"""# Generated by bench/generate.py
baseURL = "https://example.gov.vn/"
languageCode = "vi"
defaultContentLanguage = "vi"
title = "{SITE_TITLE}"
timeZone = "Asia/Ho_Chi_Minh"
uglyURLs = false
removePathAccents = true
enableRobotsTXT = false
disableKinds = []

[pagination]
  pagerSize = 20

[taxonomies]
  category = "categories"
  tag = "tags"

[params]
  description = "{SITE_DESC}"

[markup.highlight]
  noClasses = false
  codeFences = true

[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
<link rel="stylesheet" href="/css/portal.css">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ site.Title }}">{{ end }}
</head>
<body>
<a class="skip-link" href="#noi-dung">Bỏ qua phần điều hướng</a>
<header class="site-header"><p class="site-title"><a href="/">{{ site.Title }}</a></p>
<nav aria-label="Chuyên mục"><ul class="menu">
{{ range site.Data.menu }}<li><a href="{{ printf "/categories/%s/" (urlize .name) }}">{{ .name }}</a></li>
{{ end }}<li><a href="/van-ban/">Văn bản</a></li></ul></nav>
</header>
<main id="noi-dung">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><p>Bộ Thông tin và Truyền thông · 18 Nguyễn Du, Hà Nội · banbientap@example.gov.vn</p>
<p>© {{ now.Year }} {{ site.Title }}</p></footer>
</body>
</html>
""",
    "_partials/card.html": """<article class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "02/01/2006 15:04" }}</time>{{ with .Params.categories }} · {{ index . 0 }}{{ end }}</p>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}</article>
""",
    "page.html": """{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Trang chủ</a>{{ with .Params.categories }} › <a href="{{ printf "/categories/%s/" (index . 0 | urlize) }}">{{ index . 0 }}</a>{{ end }}</nav>
<article class="article">
<header><h1>{{ .Title }}</h1>
<p class="article-meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "Monday, 02/01/2006, 15:04" }} (GMT+7)</time></p></header>
{{ with .Params.summary }}<p class="sapo">{{ . }}</p>{{ end }}
{{ with .Params.document }}<table class="document"><tbody>
<tr><th>Số/Ký hiệu</th><td>{{ .number }}</td></tr><tr><th>Loại văn bản</th><td>{{ .type }}</td></tr>
<tr><th>Cơ quan ban hành</th><td>{{ .issuer }}</td></tr><tr><th>Người ký</th><td>{{ .signer.title }} {{ .signer.name }}</td></tr>
<tr><th>Ngày ban hành</th><td>{{ $.Date.Format "02/01/2006" }}</td></tr><tr><th>Lĩnh vực</th><td>{{ .field }}</td></tr>
<tr><th>Trích yếu</th><td>{{ .abstract }}</td></tr></tbody></table>{{ end }}
<div class="article-body">
{{ .Content }}
</div>
<footer class="article-footer">{{ with .Params.author }}<p class="author">{{ . }}</p>{{ end }}
{{ with .GetTerms "tags" }}<div class="tags"><h2>Từ khóa</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}" rel="tag">{{ .LinkTitle }}</a></li>{{ end }}</ul></div>{{ end }}
</footer>
</article>
{{ with .Params.categories }}{{ $term := site.GetPage (printf "/categories/%s" (index . 0)) }}{{ with $term }}
{{ $related := first 5 (where (first 6 .Pages) "Permalink" "ne" $.Permalink) }}
{{ with $related }}<section class="related"><h2>Tin cùng chuyên mục</h2><ul>
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "02/01/2006" }}</time></li>
{{ end }}</ul></section>{{ end }}{{ end }}{{ end }}
{{ end }}
""",
    "list.html": """{{ define "main" }}
<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Trang chủ</a></nav>
<header class="list-header"><h1>{{ .Title }}{{ if gt .Paginator.PageNumber 1 }} – Trang {{ .Paginator.PageNumber }}{{ end }}</h1>
{{ with .Params.description }}<p>{{ . }}</p>{{ end }}</header>
<div class="card-list">{{ range .Paginator.Pages }}{{ partial "card.html" . }}{{ end }}</div>
{{ with .Paginator }}{{ if gt .TotalPages 1 }}<nav class="pagination" aria-label="Phân trang"><ul>
{{ if .HasPrev }}<li><a href="{{ .Prev.URL }}">Trang trước</a></li>{{ end }}
<li>Trang {{ .PageNumber }}/{{ .TotalPages }}</li>
{{ if .HasNext }}<li><a href="{{ .Next.URL }}">Trang sau</a></li>{{ end }}
</ul></nav>{{ end }}{{ end }}
{{ with .OutputFormats.Get "rss" }}<p class="list-feed"><a href="{{ .RelPermalink }}">RSS</a></p>{{ end }}
{{ end }}
""",
    "home.html": """{{ define "main" }}
<h1 class="visually-hidden">{{ site.Title }}</h1>
<section class="latest"><h2>Tin mới nhất</h2>
<div class="card-list">{{ range first 20 (where site.RegularPages "Section" "tin-tuc") }}{{ partial "card.html" . }}{{ end }}</div>
</section>
{{ end }}
""",
}


def hugo_item(it: dict) -> tuple[str, str]:
    return source_file(it, hugo=True)

def write(root: str, rel: str, text: str, made: set) -> None:
    path = os.path.join(root, rel)
    d = os.path.dirname(path)
    if d not in made:
        os.makedirs(d, exist_ok=True)
        made.add(d)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of items (articles + ~10%% directives)")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20261101)
    ap.add_argument("--recurring-titles", type=float, default=0.0, metavar="PCT",
                    help="percent of news titles that repeat an earlier one; Gazette articles then "
                         "have no slug and are filed by year and month")
    args = ap.parse_args()

    g = os.path.join(args.outdir, "gazette")
    h = os.path.join(args.outdir, "hugo")
    for d in (g, h):
        if os.path.exists(d):
            shutil.rmtree(d)
    made: set = set()

    write(g, "config.yaml", gazette_config(), made)
    write(g, "content/tin-tuc/_index.md", f"---\ntitle: Tin tức\ndescription: {q(NEWS_DESC)}\n---\n", made)
    write(g, "content/van-ban/_index.md", f"---\ntitle: Văn bản\ndescription: {q(REG_DESC)}\n---\n", made)

    write(h, "hugo.toml", HUGO_TOML, made)
    write(h, "data/menu.json", json.dumps([{"name": n, "slug": fold(n)} for n, _ in CATEGORIES],
                                          ensure_ascii=False, indent=1), made)
    for name, text in HUGO_LAYOUTS.items():
        write(h, f"layouts/{name}", text, made)
    write(h, "content/_index.md", f"---\ntitle: {q(SITE_TITLE)}\n---\n", made)
    write(h, "content/tin-tuc/_index.md", f"---\ntitle: Tin tức\ndescription: {q(NEWS_DESC)}\n---\n", made)
    write(h, "content/van-ban/_index.md", f"---\ntitle: Văn bản\ndescription: {q(REG_DESC)}\n---\n", made)

    counts = {"article": 0, "directive": 0, "code": 0, "words": 0}
    seen_titles: set = set()
    repeated = 0
    for it in make_items(args.n, args.seed, args.recurring_titles):
        counts[it["kind"]] += 1
        if it["kind"] == "article":
            repeated += it["title"] in seen_titles
            seen_titles.add(it["title"])
        counts["words"] += len(it["body"].split())
        counts["code"] += "```" in it["body"]
        write(g, *gazette_item(it), made)
        write(h, *hugo_item(it), made)
    print(f"generated {args.n} items into {args.outdir}: {counts['article']} articles, "
          f"{counts['directive']} directives, {counts['code']} with code, "
          f"{counts['words'] / max(args.n, 1):.0f} words per item on average, "
          f"{repeated} articles repeating an earlier title", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
