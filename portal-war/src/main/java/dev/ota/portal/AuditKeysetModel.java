package dev.ota.portal;

import dev.ota.audit.AuditFilter;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import java.util.List;

/**
 * The audit page's lazy model over the log's keyset query, newest first: each page is the entries
 * below the previous page's last sequence number, one indexed read however deep into a log of millions.
 * The first page starts below the search's own audit record ({@link AuditLog#openRead}), so the
 * listing is one cut of the log however long it is browsed.
 */
class AuditKeysetModel extends KeysetModel<AuditRecord, Long> {
    private static final long serialVersionUID = 1L;

    private final transient AuditLog audit;
    private final AuditFilter filter;

    AuditKeysetModel(AuditLog audit, AuditFilter filter, long olderThan) {
        super(olderThan);
        this.audit = audit;
        this.filter = filter;
    }

    @Override
    Page<AuditRecord, Long> page(Long olderThan, int pageSize) {
        // One more than a page: whether another page follows, without counting the log.
        List<AuditRecord> read = audit.entries(filter, olderThan, pageSize + 1);
        if (read.size() <= pageSize) {
            return new Page<>(read, null);
        }
        List<AuditRecord> page = List.copyOf(read.subList(0, pageSize));
        return new Page<>(page, page.get(pageSize - 1).seq());
    }

    @Override
    String key(AuditRecord entry) {
        return String.valueOf(entry.seq());
    }
}
