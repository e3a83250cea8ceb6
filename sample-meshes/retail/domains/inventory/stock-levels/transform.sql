-- Two output ports, so two statements: each CREATE TABLE fills the output port of the same
-- name. `assortment` and `shelf_counts` are the sources declared in quanta.yaml.
CREATE TABLE items AS
SELECT
  sku,
  item_name,
  category,
  CAST(shelf_life_days AS INTEGER) AS shelf_life_days,
  CAST(shelf_life_days AS INTEGER) <= 30 AS perishable,
  CAST(reorder_point AS INTEGER) AS reorder_point,
  CAST(updated_at AS TIMESTAMP) AS updated_at
FROM assortment
ORDER BY sku;

CREATE TABLE stock_levels AS
SELECT
  CAST(c.count_id AS BIGINT) AS count_id,
  c.store_id,
  c.sku,
  CAST(c.counted_at AS TIMESTAMP) AS counted_at,
  CAST(c.units_on_hand AS INTEGER) AS units_on_hand,
  CAST(c.units_on_order AS INTEGER) AS units_on_order,
  CAST(a.reorder_point AS INTEGER) AS reorder_point,
  CAST(c.units_on_hand AS INTEGER) < CAST(a.reorder_point AS INTEGER) AS below_reorder_point,
  c.count_method
FROM shelf_counts AS c
JOIN assortment AS a ON a.sku = c.sku
ORDER BY count_id;
