package io.viewpush.view;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Following paths through a catalog written by hand: a part of Sakila, with two foreign keys from film to language. */
class ResolvedPathTest {
    private static final TableRef FILM = new TableRef("public", "film");
    private static final TableRef LANGUAGE = new TableRef("public", "language");
    private static final TableRef CUSTOMER = new TableRef("public", "customer");
    private static final TableRef ADDRESS = new TableRef("public", "address");
    private static final TableRef CITY = new TableRef("public", "city");
    private static final TableRef RENTAL = new TableRef("public", "rental");
    private static final TableRef PAYMENT = new TableRef("public", "payment");
    private static final TableRef LINE = new TableRef("sales", "Order Lines");
    private static final TableRef ORDERS = new TableRef("sales", "orders");
    private static final TableRef TRANSFER = new TableRef("public", "transfer");

    private static final List<ForeignKey> KEYS = List.of(
            new ForeignKey("film_language_id_fkey", FILM, List.of("language_id"), LANGUAGE, List.of("language_id")),
            new ForeignKey("film_original_language_id_fkey", FILM, List.of("original_language_id"), LANGUAGE, List.of("language_id")),
            new ForeignKey("customer_address_id_fkey", CUSTOMER, List.of("address_id"), ADDRESS, List.of("address_id")),
            new ForeignKey("address_city_id_fkey", ADDRESS, List.of("city_id"), CITY, List.of("city_id")),
            new ForeignKey("rental_customer_id_fkey", RENTAL, List.of("customer_id"), CUSTOMER, List.of("customer_id")),
            new ForeignKey("payment_customer_id_fkey", PAYMENT, List.of("customer_id"), CUSTOMER, List.of("customer_id")),
            new ForeignKey("payment_rental_id_fkey", PAYMENT, List.of("rental_id"), RENTAL, List.of("rental_id")),
            new ForeignKey("lines_order", LINE, List.of("Order Id", "Shop"), ORDERS, List.of("id", "shop")),
            new ForeignKey("transfer_from", TRANSFER, List.of("from_city"), CITY, List.of("city_id")),
            new ForeignKey("transfer_to", TRANSFER, List.of("to_city"), CITY, List.of("city_id")));

    private static final Map<TableRef, List<String>> COLUMNS = Map.of(
            FILM, List.of("film_id", "title", "language_id", "original_language_id"),
            LANGUAGE, List.of("language_id", "name"),
            CUSTOMER, List.of("customer_id", "first_name", "address_id"),
            ADDRESS, List.of("address_id", "address", "city_id"),
            CITY, List.of("city_id", "city"),
            RENTAL, List.of("rental_id", "customer_id", "rental_date"),
            PAYMENT, List.of("payment_id", "customer_id", "rental_id", "amount", "payment_date"),
            LINE, List.of("Order Id", "Shop", "Größe", "Amount"),
            ORDERS, List.of("id", "shop"),
            TRANSFER, List.of("id", "from_city", "to_city"));

    private static final Catalog CATALOG = new Catalog() {
        @Override
        public List<ForeignKey> foreignKeysOf(TableRef table) {
            return KEYS.stream().filter(k -> k.table().equals(table)).collect(Collectors.toList());
        }

        @Override
        public List<ForeignKey> foreignKeysTo(TableRef table) {
            return KEYS.stream().filter(k -> k.referencedTable().equals(table)).collect(Collectors.toList());
        }

        @Override
        public List<String> columnsOf(TableRef table) {
            return COLUMNS.getOrDefault(table, List.of());
        }
    };

    private static ResolvedPath resolve(String path, TableRef from) {
        return ResolvedPath.resolve(FieldPath.parse(path).orElseThrow(), from, CATALOG);
    }

    private static PathException failure(String path, TableRef from) {
        PathException e = catchThrowableOfType(PathException.class, () -> resolve(path, from));
        assertThat(e).as(path + " should not resolve").isNotNull();
        return e;
    }

    @Test
    void followsSeveralHopsToTheColumn() {
        ResolvedPath p = resolve("address.city.city", CUSTOMER);
        assertThat(p.hops()).extracting(h -> h.key().name()).containsExactly("customer_address_id_fkey", "address_city_id_fkey");
        assertThat(p.hops()).allMatch(h -> !h.inbound());
        assertThat(p.table()).isEqualTo(CITY);
        assertThat(p.column()).contains("city");
    }

    @Test
    void aForeignKeyIsNamedByItsColumnItsConstraintOrItsTableInBrackets() {
        assertThat(resolve("original_language_id.name", FILM).hops().get(0).key().name()).isEqualTo("film_original_language_id_fkey");
        assertThat(resolve("film_language_id_fkey.name", FILM).hops().get(0).key().name()).isEqualTo("film_language_id_fkey");
        assertThat(resolve("language[original_language_id].name", FILM).hops().get(0).key().name())
                .isEqualTo("film_original_language_id_fkey");
        assertThat(resolve("language[film_language_id_fkey].name", FILM).hops().get(0).key().name())
                .isEqualTo("film_language_id_fkey");
        assertThat(resolve("ADDRESS.Address", CUSTOMER).column()).as("bare names match ignoring case").contains("address");
    }

    @Test
    void aForeignKeyColumnWithoutItsIdSuffixNamesItSoSakilasFilmLanguageReadsNaturally() {
        assertThat(resolve("language.name", FILM).hops().get(0).key().name()).isEqualTo("film_language_id_fkey");
        assertThat(resolve("original_language.name", FILM).hops().get(0).key().name())
                .isEqualTo("film_original_language_id_fkey");
    }

    @Test
    void twoForeignKeysToOneTableAreAmbiguousAndTheMessageSaysHowToWriteEach() {
        PathException e = failure("city.city", TRANSFER);
        assertThat(e.kind()).isEqualTo(PathException.Kind.AMBIGUOUS_RELATION);
        assertThat(e.candidates()).containsExactly("city[from_city]", "city[to_city]");
        assertThat(e.getMessage()).isEqualTo("'city' is ambiguous: table 'transfer' has 2 foreign keys to table 'city';"
                + " write one of city[from_city] (from_city -> city, constraint transfer_from), city[to_city] (to_city ->"
                + " city, constraint transfer_to)");
        assertThat(resolve("city[to_city].city", TRANSFER).hops().get(0).key().name()).isEqualTo("transfer_to");
        assertThat(resolve("to_city.city", TRANSFER).hops().get(0).key().name()).isEqualTo("transfer_to");
    }

    @Test
    void anUnknownRelationListsTheForeignKeysTheTableHas() {
        PathException e = failure("lang.name", FILM);
        assertThat(e.kind()).isEqualTo(PathException.Kind.UNKNOWN_RELATION);
        assertThat(e.candidates()).containsExactly("language[language_id]", "language[original_language_id]");
        assertThat(e.getMessage()).isEqualTo("table 'film' has no foreign key 'lang'; its foreign keys: language_id ->"
                + " language, constraint film_language_id_fkey (write language[language_id]), original_language_id ->"
                + " language, constraint film_original_language_id_fkey (write language[original_language_id])");
        PathException none = failure("x.y", CITY);
        assertThat(none.getMessage()).isEqualTo("table 'city' has no foreign keys, so 'x' leads nowhere");
        assertThat(failure("rental.rental_date", CUSTOMER).getMessage())
                .as("a lookup the wrong way round points to summaries")
                .contains("table 'rental' refers to 'customer' rather: a summary such as count(rental)");
    }

    @Test
    void anUnknownColumnListsTheColumnsOfTheTableReached() {
        PathException e = failure("address.city.nme", CUSTOMER);
        assertThat(e.kind()).isEqualTo(PathException.Kind.UNKNOWN_COLUMN);
        assertThat(e.getMessage()).isEqualTo("table 'city' has no column 'nme' (its columns: city_id, city)");
        assertThat(e.candidates()).containsExactly("city_id", "city");
        assertThat(failure("address.\"CITY_ID\"", CUSTOMER).kind()).as("a quoted name matches exactly")
                .isEqualTo(PathException.Kind.UNKNOWN_COLUMN);
    }

    @Test
    void aSummaryStartsFromTheRowsThatReferToTheViewsRow() {
        ResolvedPath count = resolve("count(rental)", CUSTOMER);
        assertThat(count.hops()).hasSize(1);
        assertThat(count.hops().get(0).inbound()).isTrue();
        assertThat(count.table()).isEqualTo(RENTAL);
        assertThat(count.column()).isEmpty();
        ResolvedPath sum = resolve("sum(payment.amount)", CUSTOMER);
        assertThat(sum.hops().get(0).key().name()).isEqualTo("payment_customer_id_fkey");
        assertThat(sum.column()).contains("amount");
        ResolvedPath further = resolve("max(payment.rental.rental_date)", CUSTOMER);
        assertThat(further.hops()).extracting(ResolvedPath.Hop::inbound).containsExactly(true, false);
        assertThat(further.table()).isEqualTo(RENTAL);
    }

    @Test
    void anUnknownOrAmbiguousSummaryListsTheTablesThatReferToTheViewsTable() {
        PathException unknown = failure("count(rentals)", CUSTOMER);
        assertThat(unknown.kind()).isEqualTo(PathException.Kind.UNKNOWN_RELATION);
        assertThat(unknown.candidates()).containsExactly("rental", "payment");
        assertThat(unknown.getMessage()).isEqualTo("no table refers to table 'customer' as 'rentals'; the tables that refer"
                + " to it: rental.customer_id, constraint rental_customer_id_fkey (write rental), payment.customer_id,"
                + " constraint payment_customer_id_fkey (write payment)");
        TableRef films = FILM;
        PathException ambiguous = failure("count(film)", LANGUAGE);
        assertThat(ambiguous.kind()).isEqualTo(PathException.Kind.AMBIGUOUS_RELATION);
        assertThat(ambiguous.candidates()).containsExactly("film[language_id]", "film[original_language_id]");
        assertThat(resolve("count(film[original_language_id])", LANGUAGE).hops().get(0).key().name())
                .isEqualTo("film_original_language_id_fkey");
        assertThat(failure("count(x)", films).getMessage()).isEqualTo("no table refers to table 'film' through a foreign"
                + " key, so 'x' has no rows to summarise");
    }

    @Test
    void aCompositeForeignKeyIsFollowedAndNamedByItsColumns() {
        ResolvedPath p = resolve("sum(\"Order Lines\".\"Amount\")", ORDERS);
        assertThat(p.hops().get(0).key().columns()).containsExactly("Order Id", "Shop");
        assertThat(resolve("count(\"Order Lines\"[Order Id, Shop])", ORDERS).hops()).hasSize(1);
        assertThat(resolve("count(\"Order Lines\"[lines_order])", ORDERS).hops()).hasSize(1);
        assertThat(resolve("orders.shop", LINE).column()).contains("shop");
    }
}
