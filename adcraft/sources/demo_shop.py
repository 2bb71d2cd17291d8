"""A seeded generator of a fictional retailer's exports: the demo shop the pipeline runs on.

`generate_demo_shop(out_dir, scale, seed)` writes three files, as a shop system would export them:

- ``products.csv``: sku, name, category, brand, price, currency, material, colours, sizes, stock,
  launch_date, description (about 240 products at scale 1, growing with the square root of scale).
- ``customers.csv``: customer_id, name, email, phone, city, country, signup_date (5,000 x scale).
- ``order_lines.parquet``: order_id, line_number, customer_id, sku, quantity, unit_price, currency,
  ordered_at (50,000 x scale lines between 2025-01-01 and 2026-11-01).

Vocabulary (names, categories, materials, cities) comes from warehouse/demo/catalog.yaml. Product popularity
follows a Zipf-like curve, and customers differ in frequency, signup date and churn, so top sellers and all
RFM segments show up. Everything is vectorised and the order lines are written in chunks, so scale=200
(1M customers, 10M order lines) stays fast and light. The same seed and scale give the same bytes.

Dirty rows, at fixed 1-based data-row positions at every scale, so validation has something to catch:

- products.csv row 12 is an exact duplicate of row 11 (same sku);
- products.csv row 17 has a negative price;
- products.csv row 23 has no name;
- products.csv row 31 has an HTML fragment in its name (``<b>Summer</b> ...``);
- customers.csv row 42 has a malformed email (no ``@``);
- order_lines.parquet row 101 has quantity 0.
"""

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from adcraft.kernel.settings import WAREHOUSE_DIR, get_settings

CATALOG = WAREHOUSE_DIR / "demo" / "catalog.yaml"
# Epoch seconds (UTC), so the output never depends on the machine's time zone.
HISTORY_START = np.datetime64("2025-01-01", "s").astype(np.int64)
HISTORY_END = np.datetime64("2026-11-01", "s").astype(np.int64)
FIRST_SIGNUP = np.datetime64("2023-01-01", "s").astype(np.int64)
DAY = 86_400

DUPLICATE_PRODUCT_ROW = 12
NEGATIVE_PRICE_ROW = 17
MISSING_NAME_ROW = 23
HTML_NAME_ROW = 31
BAD_EMAIL_ROW = 42
ZERO_QUANTITY_ROW = 101

ORDERS_PER_CHUNK = 500_000
CSV_OPTIONS = pacsv.WriteOptions(quoting_style="needed")


def generate_demo_shop(out_dir: Path | None = None, scale: float = 1.0, seed: int = 7,
                       catalog: Path = CATALOG) -> dict[str, int]:
    """Write the demo shop's exports into out_dir and return the data-row count of each file. `catalog` is
    the vocabulary: the demo's, or another shop's in the same form (warehouse/demo/heldout_catalog.yaml)."""
    out_dir = Path(out_dir or get_settings().landing_dir / "demo")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Another shop's vocabulary may leave out what it shares with the demo's (customers' names, cities).
    vocab = yaml.safe_load(CATALOG.read_text()) | yaml.safe_load(Path(catalog).read_text())
    # Independent streams, so a change in one file's logic never reshuffles another file.
    rng_products, rng_customers, rng_orders = (np.random.default_rng([seed, i]) for i in range(3))

    products = _products(vocab, rng_products, n=max(40, round(240 * scale**0.5)))
    customers = _customers(vocab, rng_customers, n=max(100, round(5_000 * scale)))
    n_lines = max(200, round(50_000 * scale))

    products_out = _dirty_products(products["table"])
    pacsv.write_csv(products_out, out_dir / "products.csv", CSV_OPTIONS)
    pacsv.write_csv(_dirty_customers(customers["table"]), out_dir / "customers.csv", CSV_OPTIONS)
    _write_order_lines(out_dir / "order_lines.parquet", products, customers, vocab, rng_orders, n_lines)
    return {"products": products_out.num_rows, "customers": customers["table"].num_rows, "order_lines": n_lines}


def _join(*parts, sep: str = "") -> pa.Array:
    return pc.binary_join_element_wise(*parts, sep)


def _padded(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    return _join(prefix, pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width, "0"))


def _pipe_lists(values: np.ndarray, lengths: np.ndarray) -> pa.Array:
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), pa.array(values)), "|")


def _products(vocab: dict, rng: np.random.Generator, n: int) -> dict:
    categories = list(vocab["categories"])
    adjectives = np.array(vocab["adjectives"])
    # Names are unique per product, so there are only so many: cap n at what the vocabulary allows.
    per_category = min(len(adjectives) * (len(c["items"]) if "items" in c else len(c["materials"]) * len(c["nouns"]))
                       for c in vocab["categories"].values())
    n = min(n, per_category * len(categories))
    # Round-robin over categories (shuffled) so every category is present even at small scales.
    category_idx = rng.permutation(np.arange(n) % len(categories))
    name = np.empty(n, dtype=object)
    material = np.empty(n, dtype=object)
    phrase = np.full(n, None, dtype=object)
    price = np.empty(n)
    for c, cat in enumerate(categories):
        spec = vocab["categories"][cat]
        rows = np.flatnonzero(category_idx == c)
        if "items" in spec:  # whole products, each with its noun, material and description phrase
            a, i = np.unravel_index(rng.choice(len(adjectives) * len(spec["items"]), size=len(rows), replace=False),
                                    (len(adjectives), len(spec["items"])))
            items = [spec["items"][k] for k in i]
            name[rows] = [f"{adjectives[k]} {item['noun']}" for k, item in zip(a, items, strict=True)]
            material[rows] = [item.get("material") for item in items]
            phrase[rows] = [item["phrase"] for item in items]
            low, high = spec["price"]
            price[rows] = np.floor(rng.uniform(low, high, len(rows))) + rng.choice([0.0, 0.5, 0.95], len(rows))
            continue
        shape = (len(adjectives), len(spec["materials"]), len(spec["nouns"]))
        a, m, o = np.unravel_index(rng.choice(np.prod(shape), size=len(rows), replace=False), shape)
        mats = np.array(spec["materials"])[m]
        name[rows] = _join(pa.array(adjectives[a]), " ", pa.array(mats), " ",
                           pa.array(np.array(spec["nouns"])[o])).to_numpy(zero_copy_only=False)
        material[rows] = mats
        low, high = spec["price"]
        price[rows] = np.floor(rng.uniform(low, high, len(rows))) + rng.choice([0.0, 0.5, 0.95], len(rows))

    colours = np.array(vocab["colours"])
    picks = np.argsort(rng.random((n, len(colours))), axis=1)[:, :3]
    # A category may come in no colours at all (food): then its products list none.
    coloured = np.array([vocab["categories"][c].get("coloured", True) for c in categories])[category_idx]
    n_colours = np.where(coloured, rng.integers(1, 4, n), 0)
    colour_lists = _pipe_lists(colours[picks][np.arange(3) < n_colours[:, None]], n_colours)
    size_lists = np.array(["|".join(map(str, vocab["categories"][c]["sizes"])) for c in categories])
    launch = np.datetime64("2021-01-01") + rng.integers(0, 4 * 365, n).astype("timedelta64[D]")
    phrases = np.array(vocab["description_phrases"])
    first_colour = np.where(coloured, np.char.add(" in ", colours[picks[:, 0]]), "")
    stock = np.where(rng.random(n) < 0.05, 0, rng.integers(1, 400, n))

    table = pa.table({
        "sku": _padded(vocab["shop"]["sku_prefix"] + "-", np.arange(10_001, 10_001 + n), 5),
        "name": pa.array(name, pa.string()),
        "category": pa.array(np.array(categories)[category_idx]),
        "brand": pa.array(rng.choice(vocab["brands"], n)),
        "price": pa.array(np.char.mod("%.2f", price)),
        "currency": pa.array(np.full(n, vocab["shop"]["currency"])),
        "material": pa.array(material, pa.string()),
        "colours": colour_lists,
        "sizes": pa.array(size_lists[category_idx]),
        "stock": pa.array(stock).cast(pa.string()),
        "launch_date": pa.array(launch.astype(str)),
        "description": _join(pa.array(name, pa.string()), pa.array(first_colour), ", ",
                             pa.array(_phrases(phrase, rng.choice(phrases, n))), "."),
    })
    # Zipf-like popularity over a random ranking: a few products sell far more than the rest.
    popularity = 1.0 / np.arange(1, n + 1) ** 0.8
    popularity = popularity[rng.permutation(n)]
    return {"table": table, "price": price, "cdf": np.cumsum(popularity) / popularity.sum()}


def _phrases(own: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """Each product's description phrase: its own (a catalogue item's), else the one drawn from the shop's list."""
    return np.where(np.equal(own, None), drawn.astype(object), own)


def _customers(vocab: dict, rng: np.random.Generator, n: int) -> dict:
    first = pa.array(rng.choice(vocab["first_names"], n))
    last = pa.array(rng.choice(vocab["last_names"], n))
    city_idx = pa.array(rng.integers(0, len(vocab["cities"]), n))
    cities = {key: pa.array([c[key] for c in vocab["cities"]]) for key in ("city", "country", "phone")}
    number = np.arange(1, n + 1)
    handle = _join(pc.utf8_lower(first), ".", pc.utf8_lower(last), pa.array(number).cast(pa.string()))
    local_number = rng.integers(1_000_000, 10_000_000, n).astype(str)

    # Signups run from before the order history until days before its end, so some customers are new.
    signup = rng.uniform(FIRST_SIGNUP, HISTORY_END - 3 * DAY, n)
    active_from = np.maximum(signup, HISTORY_START)
    # A third churn at a random point; the rest are still active at the end: recency varies.
    churned = rng.random(n) < 0.35
    active_to = np.where(churned, active_from + rng.random(n) * (HISTORY_END - active_from), HISTORY_END)
    # Order rate is log-normal (a few very frequent buyers), times how long the customer was active.
    weight = rng.lognormal(0.0, 1.0, n) * (active_to - active_from + DAY)

    table = pa.table({
        "customer_id": _padded("C", number, 7),
        "name": _join(first, " ", last),
        "email": _join(handle, "@", pa.array(rng.choice(vocab["shop"]["email_domains"], n))),
        "phone": _join(cities["phone"].take(city_idx), " ", pa.array(local_number)),
        "city": cities["city"].take(city_idx),
        "country": cities["country"].take(city_idx),
        "signup_date": pa.array(signup.astype("datetime64[s]").astype("datetime64[D]").astype(str)),
    })
    return {"table": table, "active_from": active_from, "active_to": active_to,
            "cdf": np.cumsum(weight) / weight.sum()}


def _set_at(column: pa.ChunkedArray, row: int, value) -> pa.Array:
    mask = np.zeros(len(column), dtype=bool)
    mask[row - 1] = True
    return pc.if_else(pa.array(mask), pa.scalar(value, pa.string()), column)


def _dirty_products(table: pa.Table) -> pa.Table:
    dup = DUPLICATE_PRODUCT_ROW - 1
    table = pa.concat_tables([table.slice(0, dup), table.slice(dup - 1, 1), table.slice(dup)])
    names, prices = table["name"], table["price"]
    negative = "-" + prices[NEGATIVE_PRICE_ROW - 1].as_py()
    html = "<b>Summer</b> " + names[HTML_NAME_ROW - 1].as_py().split(" ", 1)[1]
    names = _set_at(_set_at(names, MISSING_NAME_ROW, None), HTML_NAME_ROW, html)
    table = table.set_column(table.schema.get_field_index("name"), "name", names)
    return table.set_column(table.schema.get_field_index("price"), "price",
                            _set_at(prices, NEGATIVE_PRICE_ROW, negative))


def _dirty_customers(table: pa.Table) -> pa.Table:
    bad = table["email"][BAD_EMAIL_ROW - 1].as_py().replace("@", ".")
    return table.set_column(table.schema.get_field_index("email"), "email",
                            _set_at(table["email"], BAD_EMAIL_ROW, bad))


def _write_order_lines(path: Path, products: dict, customers: dict, vocab: dict,
                       rng: np.random.Generator, n_lines: int) -> None:
    sku = products["table"]["sku"].combine_chunks()
    customer_id = customers["table"]["customer_id"].combine_chunks()
    span = customers["active_to"] - customers["active_from"]
    schema = pa.schema([("order_id", pa.string()), ("line_number", pa.int32()), ("customer_id", pa.string()),
                        ("sku", pa.string()), ("quantity", pa.int32()), ("unit_price", pa.float64()),
                        ("currency", pa.string()), ("ordered_at", pa.timestamp("s"))])
    written, first_order = 0, 1
    with pq.ParquetWriter(path, schema) as writer:
        while written < n_lines:
            n_orders = min(ORDERS_PER_CHUNK, n_lines - written)  # every order has a line
            lines_per_order = rng.choice([1, 2, 3, 4, 5], n_orders, p=[0.45, 0.28, 0.15, 0.08, 0.04])
            cust = np.searchsorted(customers["cdf"], rng.random(n_orders), side="right")
            ordered_at = customers["active_from"][cust] + rng.random(n_orders) * span[cust]

            order = np.repeat(np.arange(n_orders), lines_per_order)[: n_lines - written]
            n = len(order)
            starts = np.concatenate([[0], np.cumsum(lines_per_order)[:-1]])
            line_number = np.arange(n) - starts[order] + 1
            product = np.searchsorted(products["cdf"], rng.random(n), side="right")
            quantity = np.minimum(rng.geometric(0.75, n), 6)
            discount = np.where(rng.random(n) < 0.12, 0.8, 1.0)  # occasional sale price
            unit_price = np.round(products["price"][product] * discount, 2)
            if written < ZERO_QUANTITY_ROW <= written + n:
                quantity[ZERO_QUANTITY_ROW - 1 - written] = 0

            writer.write_table(pa.table({
                "order_id": _padded("O", first_order + order, 9),
                "line_number": pa.array(line_number, pa.int32()),
                "customer_id": customer_id.take(pa.array(cust[order])),
                "sku": sku.take(pa.array(product)),
                "quantity": pa.array(quantity, pa.int32()),
                "unit_price": pa.array(unit_price),
                "currency": pa.array(np.full(n, vocab["shop"]["currency"])),
                "ordered_at": pa.array(ordered_at[order].astype(np.int64), pa.timestamp("s")),
            }, schema=schema))
            written += n
            first_order += n_orders
