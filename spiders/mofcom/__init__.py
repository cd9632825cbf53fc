"""China's Ministry of Commerce: export-control announcements and the lists they change."""
