"""Exports of the published database for the tools compliance teams use (Datasette answers CSV and JSON itself).

`ftm`: FollowTheMoney entities (OpenSanctions, yente, Aleph), one JSON object a line.
"""
