-- The output port `online_order_lines`: the order service's export, typed, with the line
-- amount computed and postcodes normalised to upper case.
SELECT
  order_id,
  CAST(line_no AS INTEGER) AS line_no,
  CAST(placed_at AS TIMESTAMP) AS placed_at,
  customer_id,
  sku,
  CAST(quantity AS INTEGER) AS quantity,
  CAST(unit_price_eur AS DECIMAL(10, 2)) AS unit_price_eur,
  CAST(CAST(quantity AS INTEGER) * CAST(unit_price_eur AS DECIMAL(10, 2)) AS DECIMAL(12, 2)) AS amount_eur,
  fulfilment,
  fulfilment_store_id,
  upper(delivery_postcode) AS delivery_postcode,
  status,
  device
FROM web_orders
ORDER BY order_id, line_no
