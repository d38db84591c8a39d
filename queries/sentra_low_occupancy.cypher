// name: sentra_low_occupancy
// description: Sentra with kiosks where the occupied share is below a threshold
//   (kiosks_total > 0 and occupied/total below it). Unknown figures are not reported.
// param: occupancy_below: float = 0.7 -- report when occupied/total is below this
// columns: subject, subject_name, related, related_names, occupied, total, occupancy
// check: sentra.low_occupancy
// severity: warning
MATCH (s:Sentra)
WHERE s.kiosksTotal > 0 AND s.kiosksOccupied IS NOT NULL
WITH s, toFloat(s.kiosksOccupied) / s.kiosksTotal AS occupancy
WHERE occupancy < $occupancy_below
RETURN s.id AS subject, s.name AS subject_name, [] AS related, [] AS related_names,
       s.kiosksOccupied AS occupied, s.kiosksTotal AS total, occupancy
ORDER BY subject
