// placeholder replaced by the depth analysis
