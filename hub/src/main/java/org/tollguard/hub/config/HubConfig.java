package org.tollguard.hub.config;

/** The whole {@code hub.yml}. Every section is optional and has documented defaults. */
public record HubConfig(
        DatabaseConfig database,
        HttpConfig http,
        SigningConfig signing,
        PublicationConfig publication,
        IntakeConfig intake,
        AutoApproveConfig autoApprove,
        EnrollmentConfig enrollment,
        ReviewConfig review,
        AbuseReportsConfig abuseReports) {

    public HubConfig {
        database = database == null ? DatabaseConfig.defaults() : database;
        http = http == null ? HttpConfig.defaults() : http;
        signing = signing == null ? SigningConfig.defaults() : signing;
        publication = publication == null ? PublicationConfig.defaults() : publication;
        intake = intake == null ? IntakeConfig.defaults() : intake;
        autoApprove = autoApprove == null ? AutoApproveConfig.defaults() : autoApprove;
        enrollment = enrollment == null ? EnrollmentConfig.defaults() : enrollment;
        review = review == null ? ReviewConfig.defaults() : review;
        abuseReports = abuseReports == null ? AbuseReportsConfig.defaults() : abuseReports;
    }

    /** Without abuse reports (off unless configured). */
    public HubConfig(DatabaseConfig database, HttpConfig http, SigningConfig signing, PublicationConfig publication,
                     IntakeConfig intake, AutoApproveConfig autoApprove, EnrollmentConfig enrollment,
                     ReviewConfig review) {
        this(database, http, signing, publication, intake, autoApprove, enrollment, review, null);
    }

    public static HubConfig defaults() {
        return new HubConfig(null, null, null, null, null, null, null, null, null);
    }
}
