package dev.ota.portal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/**
 * A lazy table model over a keyset query: each page is one query for the rows after the previous
 * page's last, so page 2,000 costs what page 1 does. The paginator moves one page at a time (first,
 * previous, next), and the model remembers the cursor each visited page started at. The row count is
 * what is known so far (one more row when another page follows), never a count of the whole table.
 *
 * @param <T> a row
 * @param <C> the cursor a page starts after
 */
abstract class KeysetModel<T, C> extends LazyDataModel<T> {
    private static final long serialVersionUID = 1L;

    /** One page: its rows, and the cursor the next page starts at (null when none follows). */
    record Page<T, C>(List<T> rows, C next) {
    }

    /** Page start row to the cursor the page starts at. */
    private final Map<Integer, C> cursors = new HashMap<>();
    private int known;

    KeysetModel(C first) {
        cursors.put(0, first);
    }

    /** Up to {@code pageSize} rows from {@code cursor}. */
    abstract Page<T, C> page(C cursor, int pageSize);

    abstract String key(T row);

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
        return known;
    }

    @Override
    public List<T> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
        // A start never reached page by page (the table asked for another offset) begins again at the first page.
        int start = cursors.containsKey(first) ? first : 0;
        Page<T, C> page = page(cursors.get(start), pageSize);
        if (page.next() != null) {
            cursors.put(start + pageSize, page.next());
        }
        known = Math.max(known, start + page.rows().size() + (page.next() != null ? 1 : 0));
        setRowCount(known);
        return page.rows();
    }

    @Override
    public String getRowKey(T row) {
        return key(row);
    }

    @Override
    public T getRowData(String rowKey) {
        return getWrappedData() == null ? null : getWrappedData().stream()
                .filter(r -> key(r).equals(rowKey)).findFirst().orElse(null);
    }
}
