package io.viewpush.view;

import io.viewpush.expression.ValueType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered, typed output fields of a view (its fields, then its calculations), shared by all
 * its {@link Row}s. This order is the order of the keys in the JSON a receiver gets.
 */
public final class Columns {
    private final List<String> names;
    private final List<ValueType> types;
    private final Map<String, Integer> index;
    private final int keyIndex;
    private final int[] keyIndexes;

    /**
     * @param names    output field names, unique
     * @param types    their types, same length
     * @param keyField the name of the field that identifies a row
     */
    public Columns(List<String> names, List<ValueType> types, String keyField) {
        this(names, types, List.of(Objects.requireNonNull(keyField, "keyField")));
    }

    /**
     * @param names     output field names, unique
     * @param types     their types, same length
     * @param keyFields the fields that together identify a row, in key order (one or more)
     */
    public Columns(List<String> names, List<ValueType> types, List<String> keyFields) {
        this.names = List.copyOf(names);
        this.types = List.copyOf(types);
        if (this.names.size() != this.types.size()) {
            throw new IllegalArgumentException("names and types differ in length");
        }
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.names.size(); i++) {
            if (idx.put(this.names.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate column " + this.names.get(i));
            }
        }
        this.index = Map.copyOf(idx);
        if (keyFields.isEmpty()) {
            throw new IllegalArgumentException("a key has at least one field");
        }
        this.keyIndexes = new int[keyFields.size()];
        for (int i = 0; i < keyIndexes.length; i++) {
            Integer k = idx.get(Objects.requireNonNull(keyFields.get(i), "keyFields"));
            if (k == null) {
                throw new IllegalArgumentException("key field " + keyFields.get(i) + " is not a column");
            }
            keyIndexes[i] = k;
        }
        this.keyIndex = keyIndexes[0];
    }

    /** @return the output field names in order */
    public List<String> names() {
        return names;
    }

    /** @return their types in the same order */
    public List<ValueType> types() {
        return types;
    }

    /** @return how many output fields there are */
    public int size() {
        return names.size();
    }

    /** @return the name at position {@code i} */
    public String name(int i) {
        return names.get(i);
    }

    /** @return the type at position {@code i} */
    public ValueType type(int i) {
        return types.get(i);
    }

    /** @return the position of the named field, if it is one */
    public Optional<Integer> indexOf(String name) {
        return Optional.ofNullable(index.get(name));
    }

    /** @return the position of the (first) key field */
    public int keyIndex() {
        return keyIndex;
    }

    /** @return how many fields the key has (1 unless it is composite) */
    public int keySize() {
        return keyIndexes.length;
    }

    /** @return the position of the key's {@code i}-th field, in key order */
    public int keyIndex(int i) {
        return keyIndexes[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Columns && ((Columns) o).names.equals(names) && ((Columns) o).types.equals(types)
                && java.util.Arrays.equals(((Columns) o).keyIndexes, keyIndexes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, types, java.util.Arrays.hashCode(keyIndexes));
    }

    @Override
    public String toString() {
        return "Columns" + names;
    }
}
