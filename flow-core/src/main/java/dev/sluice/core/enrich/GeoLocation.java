package dev.sluice.core.enrich;

/**
 * What a geolocation database says about one network: immutable and shared, so that a lookup hands the event a
 * reference and copies nothing. Any field may be null; {@link #hasLocation()} tells whether the point is set.
 */
public final class GeoLocation {

    private final String continentCode;
    private final String continentName;
    private final String countryIsoCode;
    private final String countryName;
    private final String regionIsoCode;
    private final String regionName;
    private final String cityName;
    private final boolean hasLocation;
    private final double latitude;
    private final double longitude;

    public GeoLocation(String continentCode, String continentName, String countryIsoCode, String countryName,
            String regionIsoCode, String regionName, String cityName, boolean hasLocation, double latitude,
            double longitude) {
        this.continentCode = continentCode;
        this.continentName = continentName;
        this.countryIsoCode = countryIsoCode;
        this.countryName = countryName;
        this.regionIsoCode = regionIsoCode;
        this.regionName = regionName;
        this.cityName = cityName;
        this.hasLocation = hasLocation;
        this.latitude = latitude;
        this.longitude = longitude;
    }

    public String continentCode() {
        return continentCode;
    }

    public String continentName() {
        return continentName;
    }

    public String countryIsoCode() {
        return countryIsoCode;
    }

    public String countryName() {
        return countryName;
    }

    public String regionIsoCode() {
        return regionIsoCode;
    }

    public String regionName() {
        return regionName;
    }

    public String cityName() {
        return cityName;
    }

    public boolean hasLocation() {
        return hasLocation;
    }

    public double latitude() {
        return latitude;
    }

    public double longitude() {
        return longitude;
    }

    /** True when nothing is set. */
    public boolean isEmpty() {
        return continentCode == null && continentName == null && countryIsoCode == null && countryName == null
                && regionIsoCode == null && regionName == null && cityName == null && !hasLocation;
    }

    @Override
    public String toString() {
        return "GeoLocation[" + continentCode + ", " + countryIsoCode + " " + countryName + ", " + regionName + ", "
                + cityName + (hasLocation ? ", " + latitude + "," + longitude : "") + "]";
    }
}
